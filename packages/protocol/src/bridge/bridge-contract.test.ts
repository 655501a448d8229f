import { describe, expect, it, vi } from 'vitest';
import { DiscordOpusError } from '../errors/discordopus-error';
import { encodeUserId } from '../user-id/user-id';
import { UserIdError } from '../user-id/user-id-error';
import { BRIDGE_METHODS, type BridgeHandlers, bridgeCalls } from './bridge-calls';
import { dispatchBridgeCall, encodeEventFrame } from './dispatch';
import { readCoreFrame } from './read-core-frame';
import { displayNameProblem } from './primitives';
import { signalingUrlProblem } from './signaling-url';

const userId = encodeUserId(new Uint8Array(32).fill(9));

/** Every handler fails unless the test gives it. */
function handlersWith(partial: Partial<BridgeHandlers>): BridgeHandlers {
  const all = Object.fromEntries(
    BRIDGE_METHODS.map((method) => [method, () => Promise.reject(new Error(`${method} not stubbed`))]),
  );
  return { ...all, ...partial } as BridgeHandlers;
}

describe('bridge contract: dispatch (UI-01, UI-02)', () => {
  it('IDEN-01: runs the handler with validated, trimmed params and answers its value', async () => {
    const create = vi.fn(async ({ displayName }: { displayName: string }) => ({ userId, displayName }));
    const handlers = handlersWith({ 'profile.create': create });
    const result = await dispatchBridgeCall(handlers, {
      kind: 'call', id: 7, method: 'profile.create', params: { displayName: '  Alice ', passphrase: 'correct horse' },
    });
    expect(create).toHaveBeenCalledWith({ displayName: 'Alice', passphrase: 'correct horse' });
    expect(result).toEqual({ kind: 'result', id: 7, ok: true, value: { userId, displayName: 'Alice' } });
  });

  it('refuses params that break the schema, naming every failing path, before any handler runs', async () => {
    const create = vi.fn();
    const result = await dispatchBridgeCall(handlersWith({ 'profile.create': create }), {
      kind: 'call', id: 1, method: 'profile.create', params: { displayName: '', passphrase: 'short' },
    });
    expect(create).not.toHaveBeenCalled();
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.code).toBe('BRIDGE_BAD_PARAMS');
    expect(result.error.message).toContain('displayName');
    expect(result.error.message).toContain('passphrase');
  });

  it('answers malformed frames and unknown methods with an error, never a throw', async () => {
    const handlers = handlersWith({});
    expect(await dispatchBridgeCall(handlers, 'not an object')).toMatchObject({ id: null, ok: false, error: { code: 'BRIDGE_BAD_FRAME' } });
    expect(await dispatchBridgeCall(handlers, { kind: 'call', id: 3 })).toMatchObject({ id: 3, ok: false, error: { code: 'BRIDGE_BAD_FRAME' } });
    expect(await dispatchBridgeCall(handlers, { kind: 'call', id: 4, method: 'vault.dump', params: {} })).toMatchObject({
      id: 4, ok: false, error: { code: 'BRIDGE_UNKNOWN_METHOD' },
    });
    expect(await dispatchBridgeCall(handlers, { kind: 'call', id: 5, method: 'toString', params: {} })).toMatchObject({
      ok: false, error: { code: 'BRIDGE_UNKNOWN_METHOD' },
    });
  });

  it('IDEN-02: keeps the code of a DiscordOpusError (a bad user ID) and hides anything else as INTERNAL', async () => {
    const onUnexpectedError = vi.fn();
    const handlers = handlersWith({
      'contacts.add': () => Promise.reject(UserIdError.badChecksum()),
      'identity.get': () => Promise.reject(new TypeError('secret internals')),
    });
    const bad = await dispatchBridgeCall(handlers, { kind: 'call', id: 1, method: 'contacts.add', params: { userId: 'dopus1x' } }, { onUnexpectedError });
    expect(bad).toMatchObject({ ok: false, error: { code: 'USER_ID_BAD_CHECKSUM' } });
    expect(onUnexpectedError).not.toHaveBeenCalled();
    const internal = await dispatchBridgeCall(handlers, { kind: 'call', id: 2, method: 'identity.get', params: {} }, { onUnexpectedError });
    expect(internal).toMatchObject({ ok: false, error: { code: 'INTERNAL' } });
    expect(JSON.stringify(internal)).not.toContain('secret internals');
    expect(onUnexpectedError).toHaveBeenCalledOnce();
  });

  it('refuses to send the app a result that breaks the contract', async () => {
    const handlers = handlersWith({ 'identity.get': async () => ({ userId: 'dopus1nope', displayName: 'x' }) });
    const result = await dispatchBridgeCall(handlers, { kind: 'call', id: 1, method: 'identity.get', params: {} });
    expect(result).toMatchObject({ ok: false, error: { code: 'INTERNAL' } });
  });

  it('takes missing params as {} for calls without params', async () => {
    const handlers = handlersWith({ 'connection.retryNow': async () => null });
    expect(await dispatchBridgeCall(handlers, { kind: 'call', id: 1, method: 'connection.retryNow' })).toEqual({ kind: 'result', id: 1, ok: true, value: null });
  });
});

describe('bridge contract: events', () => {
  it('PRES-02: encodes a valid event and the app reads it back', () => {
    const text = encodeEventFrame('presence.changed', { publicKey: 'ab'.repeat(32), status: 'away', lastSeenAt: null });
    expect(readCoreFrame(text)).toEqual({ kind: 'event', event: 'presence.changed', payload: { publicKey: 'ab'.repeat(32), status: 'away', lastSeenAt: null } });
  });

  it('refuses to encode an event that breaks the contract', () => {
    expect(() => encodeEventFrame('status.changed', { status: 'dancing' as 'online' })).toThrow(DiscordOpusError);
  });

  it('lets the app ignore events it does not know and flag broken frames', () => {
    expect(readCoreFrame(JSON.stringify({ kind: 'event', event: 'calls.ringing', payload: {} }))).toEqual({ kind: 'unknown-event', event: 'calls.ringing' });
    expect(readCoreFrame('{nope').kind).toBe('invalid');
    expect(readCoreFrame(JSON.stringify({ kind: 'event', event: 'status.changed', payload: { status: 'x' } })).kind).toBe('invalid');
  });
});

describe('bridge contract: links (P2P-01..05)', () => {
  const key = 'ab'.repeat(32);

  it('P2P-01, P2P-03: a link change carries one contact\'s state, path and whole-ms RTT; anything else is refused', () => {
    const open = { publicKey: key, state: 'open', reason: null, path: 'relayed', rttMs: 41 } as const;
    expect(readCoreFrame(encodeEventFrame('links.changed', open))).toEqual({ kind: 'event', event: 'links.changed', payload: open });
    expect(() => encodeEventFrame('links.changed', { ...open, path: 'carrier-pigeon' as 'direct' })).toThrow(DiscordOpusError);
    expect(() => encodeEventFrame('links.changed', { ...open, rttMs: 2.5 })).toThrow(DiscordOpusError);
    expect(() => encodeEventFrame('links.changed', { ...open, rttMs: -1 })).toThrow(DiscordOpusError);
    expect(() => encodeEventFrame('links.changed', { ...open, publicKey: 'AB'.repeat(32) })).toThrow(DiscordOpusError);
    expect(() => encodeEventFrame('links.changed', { ...open, reason: 'x'.repeat(501) })).toThrow(DiscordOpusError);
  });

  it('P2P-02: a security warning names the contact, the code and a bounded reason', () => {
    const warning = { publicKey: key, code: 'LINK_AUTH_FAILED', reason: 'The fingerprint did not match.', at: 1 } as const;
    expect(readCoreFrame(encodeEventFrame('security.warning', warning)).kind).toBe('event');
    expect(() => encodeEventFrame('security.warning', { ...warning, code: 'SOMETHING' as 'LINK_AUTH_FAILED' })).toThrow(DiscordOpusError);
  });

  it('P2P-05: a contact may carry the display name from its card; the own one is set like at creation', () => {
    const contact = { publicKey: key, userId, nickname: null, displayName: 'Bob', verified: false, onlineStatus: 'online', lastSeenAt: null, addedAt: 1 };
    expect(bridgeCalls['contacts.add'].result.safeParse(contact).success).toBe(true);
    expect(bridgeCalls['contacts.add'].result.safeParse({ ...contact, displayName: null }).success).toBe(true);
    expect(bridgeCalls['contacts.add'].result.safeParse({ ...contact, displayName: '' }).success).toBe(false);
    const rename = bridgeCalls['profile.setDisplayName'].params;
    expect(rename.parse({ displayName: '  Robert ' })).toEqual({ displayName: 'Robert' });
    expect(rename.safeParse({ displayName: '   ' }).success).toBe(false);
    expect(rename.safeParse({ displayName: 'x'.repeat(65) }).success).toBe(false);
    // The vault's rule, so the app can say it before asking: no blank, control or direction characters.
    expect(rename.safeParse({ displayName: '\u200b\u200d' }).success).toBe(false);
    expect(rename.safeParse({ displayName: 'Al\u0007ice' }).success).toBe(false);
    expect(rename.safeParse({ displayName: 'Bob\u202Etxt.exe' }).success).toBe(false);
    expect(displayNameProblem('   ')).toBe('A display name cannot be empty.');
    expect(displayNameProblem('\u200b')).toBe('A display name needs at least one visible character.');
    expect(displayNameProblem('Al\nice')).toBe('A display name cannot contain control characters or line breaks.');
    expect(displayNameProblem('Zoë 🌻')).toBeNull();
  });

  it('P2P-03: relay-only is a setting the app can read and set', () => {
    expect(bridgeCalls['settings.set'].params.safeParse({ relayOnly: true }).success).toBe(true);
    expect(bridgeCalls['settings.set'].params.safeParse({ relayOnly: 'yes' }).success).toBe(false);
    expect(bridgeCalls['settings.get'].result.safeParse({ signalingUrls: ['wss://a.example'], theme: 'dark', relayOnly: true }).success).toBe(true);
  });
});

describe('bridge contract: names (IDEN-01, CONT-04)', () => {
  it('counts name length in code points, as the vault does', () => {
    const create = bridgeCalls['profile.create'].params;
    expect(create.safeParse({ displayName: '😀'.repeat(64), passphrase: 'long enough passphrase' }).success).toBe(true);
    expect(create.safeParse({ displayName: '😀'.repeat(65), passphrase: 'long enough passphrase' }).success).toBe(false);
    expect(create.safeParse({ displayName: '   ', passphrase: 'long enough passphrase' }).success).toBe(false);
  });

  it('UI-02: reads any stored signaling URL the core reports but lets the user set only good ones', () => {
    expect(bridgeCalls['settings.get'].result.safeParse({ signalingUrls: ['ws://192.168.1.2:7717'], theme: 'system' }).success).toBe(true);
    expect(bridgeCalls['settings.set'].params.safeParse({ signalingUrls: ['ws://192.168.1.2:7717'] }).success).toBe(false);
    expect(bridgeCalls['settings.set'].params.safeParse({ signalingUrls: ['wss://signal.example.org'] }).success).toBe(true);
    // Issue 15 item 13: ws:// to the local network only in a call that allows it.
    expect(bridgeCalls['settings.set'].params.safeParse({ signalingUrls: ['ws://192.168.1.2:7717'], allowInsecureRemote: true }).success).toBe(true);
    expect(bridgeCalls['settings.set'].params.safeParse({ signalingUrls: ['ws://192.168.1.2:7717'], allowInsecureRemote: false }).success).toBe(false);
    expect(bridgeCalls['settings.set'].params.safeParse({ signalingUrls: ['ftp://192.168.1.2'], allowInsecureRemote: true }).success).toBe(false);
  });
});

describe('signaling server URLs (UI-02, INFR-04)', () => {
  it('accepts wss anywhere and ws only on this computer', () => {
    expect(signalingUrlProblem('wss://signal.example.org')).toBeNull();
    expect(signalingUrlProblem('wss://signal.example.org:8443/ws')).toBeNull();
    expect(signalingUrlProblem('ws://127.0.0.1:4000')).toBeNull();
    expect(signalingUrlProblem('ws://localhost:4000/')).toBeNull();
    expect(signalingUrlProblem('ws://signal.example.org')).toMatch(/wss:\/\//);
    expect(signalingUrlProblem('https://signal.example.org')).not.toBeNull();
    expect(signalingUrlProblem('')).not.toBeNull();
    expect(signalingUrlProblem('wss://host:99999')).toMatch(/port/);
  });
});

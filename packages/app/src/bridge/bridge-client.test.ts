import { DiscordOpusError } from '@discordopus/protocol';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { FakeCore, fakeContact } from '../test-support/fake-core';
import { inMemoryConnector } from '../test-support/in-memory-connector';
import { BridgeClient } from './bridge-client';
import type { BridgeTransportListeners } from './bridge-transport';

function codeOf(error: unknown): string | null {
  return error instanceof DiscordOpusError ? error.code : null;
}

/** A transport the test drives by hand: what the client sent, and what it receives. */
function manualTransport() {
  const sent: string[] = [];
  let listeners: BridgeTransportListeners | null = null;
  const client = new BridgeClient({
    connect: (l) => {
      listeners = l;
      return { send: (text) => sent.push(text), close: () => l.onClose() };
    },
    callTimeoutMs: 5_000,
  });
  client.start();
  return {
    client,
    sent,
    open: () => listeners?.onOpen(),
    receive: (frame: unknown) => listeners?.onMessage(typeof frame === 'string' ? frame : JSON.stringify(frame)),
    drop: () => listeners?.onClose(),
  };
}

describe('bridge client (UI-01, UI-02)', () => {
  afterEach(() => vi.useRealTimers());

  it('calls the core through the contract and returns the validated result', async () => {
    const core = new FakeCore({ state: { session: 'locked', profileName: 'alice' } });
    const client = new BridgeClient({ connect: inMemoryConnector(core) });
    client.start();
    expect(await client.call('session.state', {})).toEqual({ state: 'locked', profileName: 'alice' });
  });

  it('rejects with the core error code and message (VAULT-02)', async () => {
    const core = new FakeCore({ state: { session: 'locked', passphrase: 'right one!!', identity: { userId: 'x', displayName: 'A' } } });
    const client = new BridgeClient({ connect: inMemoryConnector(core) });
    client.start();
    const error = await client.call('profile.unlock', { passphrase: 'wrong' }).catch((e: unknown) => e);
    expect(codeOf(error)).toBe('WRONG_PASSPHRASE');
  });

  it('the bridge refuses params that break the contract before the core sees them', async () => {
    const core = new FakeCore({ state: { session: 'unlocked' } });
    const client = new BridgeClient({ connect: inMemoryConnector(core) });
    client.start();
    const error = await client.call('contacts.rename', { publicKey: 'not hex', nickname: null }).catch((e: unknown) => e);
    expect(codeOf(error)).toBe('BRIDGE_BAD_PARAMS');
    expect(core.calls).not.toContain('contacts.rename');
  });

  it('queues calls made before the transport opens', async () => {
    const t = manualTransport();
    const pending = t.client.call('presence.status', {});
    expect(t.sent).toEqual([]);
    t.open();
    expect(JSON.parse(t.sent[0] as string)).toMatchObject({ kind: 'call', method: 'presence.status', params: {} });
    t.receive({ kind: 'result', id: JSON.parse(t.sent[0] as string).id, ok: true, value: { status: 'away' } });
    expect(await pending).toEqual({ status: 'away' });
  });

  it('rejects a result that breaks the contract (BRIDGE_BAD_RESULT)', async () => {
    const t = manualTransport();
    t.open();
    const pending = t.client.call('presence.status', {});
    t.receive({ kind: 'result', id: 1, ok: true, value: { status: 'sleeping' } });
    expect(codeOf(await pending.catch((e: unknown) => e))).toBe('BRIDGE_BAD_RESULT');
  });

  it('delivers known events, ignores unknown and malformed ones (lenient client)', () => {
    const t = manualTransport();
    t.open();
    const seen: unknown[] = [];
    t.client.on('contacts.changed', (payload) => seen.push(payload));
    t.receive({ kind: 'event', event: 'calls.ringing', payload: {} });
    t.receive('{broken');
    t.receive({ kind: 'event', event: 'contacts.changed', payload: { contacts: [{ bad: true }] } });
    const contact = fakeContact(2);
    t.receive({ kind: 'event', event: 'contacts.changed', payload: { contacts: [contact] } });
    expect(seen).toEqual([{ contacts: [contact] }]);
  });

  it('fails a call that gets no answer in time (fake clock)', async () => {
    vi.useFakeTimers();
    const t = manualTransport();
    t.open();
    const pending = t.client.call('identity.get', {}).catch((e: unknown) => e);
    vi.advanceTimersByTime(5_000);
    expect(codeOf(await pending)).toBe('BRIDGE_TIMEOUT');
  });

  it('fails pending calls and reports closed when the core goes away', async () => {
    const t = manualTransport();
    t.open();
    const statuses: string[] = [];
    t.client.onStatus((s) => statuses.push(s));
    const pending = t.client.call('identity.get', {}).catch((e: unknown) => e);
    t.drop();
    expect(codeOf(await pending)).toBe('BRIDGE_CLOSED');
    expect(statuses).toEqual(['closed']);
    expect(codeOf(await t.client.call('identity.get', {}).catch((e: unknown) => e))).toBe('BRIDGE_CLOSED');
  });
});

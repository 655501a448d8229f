import { base64urlToBytes, bytesToBase64url, bytesToHex, LIMITS, SEALED_REQUEST_PREFIX } from '@discordopus/protocol';
import { describe, expect, it } from 'vitest';
import { Identity } from '../identity/identity';
import { signProfileCard } from '../identity/profile-card';
import { RequestReplayGuard } from './request-replay-guard';
import { RequestSealer } from './request-sealer';

const alice = Identity.create('Alice');
const bob = Identity.create('Bob');
const hex = (identity: Identity) => bytesToHex(identity.publicKey);
const T0 = Date.UTC(2026, 10, 29, 12);

function card(identity: Identity) {
  const { displayName, updatedAtMs, signature } = signProfileCard({ identity, displayName: identity.displayName, updatedAtMs: T0 - 1000 });
  return { displayName, updatedAtMs, signature };
}

function sealers(now = { t: T0 }) {
  const clock = { now: () => now.t };
  return { now, from: new RequestSealer({ identity: alice, clock }), to: new RequestSealer({ identity: bob, clock }) };
}

describe('sealed contact requests (CONT-06, PROTOCOL.md 5.13)', () => {
  it('CONT-06: a request opens for its recipient with the sender’s card and note; the payload shows neither', () => {
    const { from, to } = sealers();
    const body = { type: 'request.send' as const, card: card(alice), note: 'hi Bob, it is Alice' };
    const payload = from.seal({ to: hex(bob), body });
    expect(payload.startsWith(SEALED_REQUEST_PREFIX)).toBe(true);
    expect(payload.length).toBeLessThanOrEqual(LIMITS.maxContactRequestPayloadChars);
    expect(Buffer.from(base64urlToBytes(payload.slice(3))).toString('latin1')).not.toMatch(/Alice|hi Bob/);
    const opened = to.open({ from: hex(alice), payload });
    expect(opened).toMatchObject({ ok: true, sentAtMs: T0, body });
  });

  it('CONT-06: the largest note with the longest name fits the server’s request limit', () => {
    const { from, to } = sealers();
    const long = Identity.create('é'.repeat(64));
    const sealer = new RequestSealer({ identity: long, clock: { now: () => T0 } });
    const payload = sealer.seal({ to: hex(bob), body: { type: 'request.send', card: card(long), note: '😀'.repeat(280) } });
    expect(payload.length).toBeLessThanOrEqual(LIMITS.maxContactRequestPayloadChars);
    expect(to.open({ from: bytesToHex(long.publicKey), payload }).ok).toBe(true);
    expect(() => from.seal({ to: hex(bob), body: { type: 'request.send', card: card(alice), note: 'x'.repeat(281) } })).toThrow(RangeError);
    // The widest text the schemas allow (emoji name, emoji or quote note) fits; lone surrogates (6-byte escapes) are refused.
    const wide = Identity.create('😀'.repeat(64));
    const wideSealer = new RequestSealer({ identity: wide, clock: { now: () => T0 } });
    for (const note of ['😀'.repeat(280), '"'.repeat(280), '\\'.repeat(280)]) {
      const p = wideSealer.seal({ to: hex(bob), body: { type: 'request.send', card: card(wide), note } });
      expect(to.open({ from: bytesToHex(wide.publicKey), payload: p }).ok).toBe(true);
    }
    expect(() => wideSealer.seal({ to: hex(bob), body: { type: 'request.send', card: card(wide), note: '\ud800'.repeat(280) } })).toThrow(RangeError);
  });

  it('CONT-06: replayed, stale, altered, misdirected and mis-stamped requests are refused with their code', () => {
    const { now, from, to } = sealers();
    const payload = from.seal({ to: hex(bob), body: { type: 'request.accepted', card: card(alice) } });
    expect(to.open({ from: hex(alice), payload }).ok).toBe(true);
    expect(to.open({ from: hex(alice), payload })).toMatchObject({ ok: false, code: 'REPLAYED' });
    const carol = Identity.create('Carol');
    expect(to.open({ from: hex(carol), payload: from.seal({ to: hex(bob), body: { type: 'request.accepted', card: card(alice) } }) })).toMatchObject({ ok: false, code: 'SENDER_MISMATCH' });
    expect(to.open({ from: hex(alice), payload: from.seal({ to: hex(carol), body: { type: 'request.accepted', card: card(alice) } }) })).toMatchObject({ ok: false, code: 'DECRYPT_FAILED' });
    const bytes = base64urlToBytes(from.seal({ to: hex(bob), body: { type: 'request.accepted', card: card(alice) } }).slice(3));
    bytes[bytes.length - 1] = (bytes[bytes.length - 1] ?? 0) ^ 1;
    expect(to.open({ from: hex(alice), payload: `r1.${bytesToBase64url(bytes)}` })).toMatchObject({ ok: false, code: 'DECRYPT_FAILED' });
    const old = from.seal({ to: hex(bob), body: { type: 'request.accepted', card: card(alice) } });
    now.t += 120_001;
    expect(to.open({ from: hex(alice), payload: old })).toMatchObject({ ok: false, code: 'STALE' });
    for (const junk of ['', 's1.AAAA', 'r1.!!', 'r1.AAAA', `r1.${'A'.repeat(LIMITS.maxContactRequestPayloadChars)}`]) {
      expect(to.open({ from: hex(alice), payload: junk })).toMatchObject({ ok: false, code: 'MALFORMED' });
    }
    expect(to.open({ from: 'not a key', payload: old })).toMatchObject({ ok: false, code: 'MALFORMED' });
  });

  it('CONT-06: a link set-up signature is never a request signature (domain separation)', async () => {
    const { SignalSealer } = await import('../links/sealing');
    const signal = new SignalSealer({ identity: alice, clock: { now: () => T0 } }).seal({ to: hex(bob), linkId: 'cHFyc3R1dnd4eXp7fH1-fw', seq: 1, body: { type: 'link.bye', reason: 'idle' } });
    const { to } = sealers();
    // Same keys, same X25519 maths: another prefix and seal label, so it is not even readable as a request.
    expect(to.open({ from: hex(alice), payload: `r1.${signal.slice(3)}` })).toMatchObject({ ok: false, code: 'DECRYPT_FAILED' });
  });

  it('CONT-06: a correctly sealed request whose signature was made under another purpose (signal, profileCard, linkHandshake) is BAD_SIGNATURE', () => {
    const { to } = sealers();
    const body = { type: 'request.send' as const, card: card(alice), note: 'hi' };
    for (const purpose of ['signal', 'profileCard', 'linkHandshake', 'auth'] as const) {
      // Alice's real keys; only the purpose her signature is made under differs.
      const wrongPurpose = new Proxy(alice, {
        get(target, prop) {
          if (prop === 'sign') return (_purpose: string, bytes: Uint8Array) => target.sign(purpose, bytes);
          const value: unknown = Reflect.get(target, prop, target);
          return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
        },
      });
      const payload = new RequestSealer({ identity: wrongPurpose, clock: { now: () => T0 } }).seal({ to: hex(bob), body });
      expect(to.open({ from: hex(alice), payload }), purpose).toMatchObject({ ok: false, code: 'BAD_SIGNATURE' });
    }
    // The same path with the right purpose opens: the refusal above is the purpose, nothing else.
    expect(to.open({ from: hex(alice), payload: new RequestSealer({ identity: alice, clock: { now: () => T0 } }).seal({ to: hex(bob), body }) }).ok).toBe(true);
  });
});

describe('request replay guard (CONT-06)', () => {
  it('CONT-06: single use per sender and id; forgetting the oldest raises a floor instead of letting replays in', () => {
    const now = { t: T0 };
    const guard = new RequestReplayGuard({ clock: { now: () => now.t }, maxEntries: 2 });
    expect(guard.admit({ sender: 'a', requestId: '1', sentAtMs: T0 - 10 })).toEqual({ ok: true });
    expect(guard.admit({ sender: 'b', requestId: '1', sentAtMs: T0 - 5 })).toEqual({ ok: true });
    expect(guard.admit({ sender: 'a', requestId: '1', sentAtMs: T0 - 10 })).toEqual({ ok: false, code: 'REPLAYED' });
    expect(guard.admit({ sender: 'a', requestId: '2', sentAtMs: T0 })).toEqual({ ok: true }); // drops a:1 → floor T0-10
    expect(guard.admit({ sender: 'a', requestId: '1', sentAtMs: T0 - 10 })).toEqual({ ok: false, code: 'REPLAYED' });
    expect(guard.admit({ sender: 'c', requestId: '9', sentAtMs: T0 - 200_000 })).toEqual({ ok: false, code: 'STALE' });
  });

  it('CONT-06: requests dated ahead cannot push the floor into the future: an honest request dated now still passes', () => {
    const now = { t: T0 };
    const guard = new RequestReplayGuard({ clock: { now: () => now.t }, maxEntries: 3 });
    // An attacker fills the guard (and more) with requests dated almost the whole window ahead.
    for (let i = 0; i < 10; i++) expect(guard.admit({ sender: 'm', requestId: `f${i}`, sentAtMs: T0 + 119_000 })).toEqual({ ok: true });
    expect(guard.admit({ sender: 'h', requestId: '1', sentAtMs: T0 })).toEqual({ ok: true });
    // The earliest-dated entry is the one forgotten, so the future-dated ones still count as seen.
    expect(guard.admit({ sender: 'h', requestId: '2', sentAtMs: T0 + 1 })).toEqual({ ok: true });
    expect(guard.admit({ sender: 'm', requestId: 'f9', sentAtMs: T0 + 119_000 })).toEqual({ ok: false, code: 'REPLAYED' });
    // Anything dated at or below the floor (clamped to now - 1) is still refused.
    expect(guard.admit({ sender: 'x', requestId: '1', sentAtMs: T0 - 1 })).toEqual({ ok: false, code: 'REPLAYED' });
  });
});

import { describe, expect, it } from 'vitest';
import { bytesToBase64url, bytesToHex, hexToBytes } from '../encoding/bytes';
import { authProofBody, signingInput } from '../signing/purposes';
import { authProofSigningInput } from './auth-proof';
import { CLIENT_MESSAGE_TYPES, type ClientMessage } from './client-messages';
import { CLOSE_CODES, closeCodeName, isFatalCloseCode } from './close-codes';
import { LIMITS } from './limits';
import { encodeMessage, parseClientFrame, parseClientMessage, parseServerFrame, parseServerMessage } from './parse';
import { SERVER_MESSAGE_TYPES, type ServerMessage } from './server-messages';

const key = (fill: number): string => bytesToBase64url(new Uint8Array(32).fill(fill));
const sig = bytesToBase64url(new Uint8Array(64).fill(7));

const clientExamples: ClientMessage[] = [
  { type: 'auth.proof', protocolVersion: 1, publicKey: key(1), timestampMs: 1767225600000, signature: sig, status: 'invisible' },
  { type: 'contacts.set', contacts: [key(2), key(3)] },
  { type: 'presence.set', status: 'away' },
  { type: 'signal.send', id: 's-1', to: key(2), payload: 'opaque' },
  { type: 'contact.request.send', id: 'r-1', to: key(9), payload: 'hello' },
  { type: 'ice.request' },
  { type: 'heartbeat.ping', t: 5 },
];

const serverExamples: ServerMessage[] = [
  { type: 'auth.hello', protocolVersion: 1, serverId: 'ws://127.0.0.1:7717', nonce: key(4), authDeadlineMs: 5000 },
  {
    type: 'auth.welcome',
    sessionId: 'abc',
    publicKey: key(1),
    iceServers: [{ urls: ['stun:127.0.0.1:3478'] }, { urls: ['turn:127.0.0.1:3478'], username: '1:x', credential: 'y' }],
    iceExpiresAtMs: 1,
    heartbeatIntervalMs: 25000,
    limits: {
      maxFrameBytes: LIMITS.maxFrameBytes,
      maxContacts: 5000,
      maxSignalPayloadChars: 10,
      maxContactRequestPayloadChars: 10,
      relayPerSecond: 20,
      relayBurst: 40,
      presencePerSecond: 1,
      presenceBurst: 5,
      contactRequestPerMinute: 5,
    },
  },
  { type: 'presence.snapshot', contacts: [{ publicKey: key(2), status: 'busy' }] },
  { type: 'presence.update', publicKey: key(2), status: 'offline' },
  { type: 'signal.relay', from: key(2), payload: 'opaque' },
  { type: 'signal.error', id: 's-1', code: 'TARGET_OFFLINE' },
  { type: 'contact.request', from: key(9), payload: 'hello' },
  { type: 'contact.request.error', id: null, code: 'RATE_LIMITED' },
  { type: 'ice.servers', iceServers: [], iceExpiresAtMs: null },
  { type: 'heartbeat.pong', t: 5 },
  { type: 'session.error', code: 'BAD_MESSAGE', about: null },
];

describe('wire schemas (CONVENTIONS 3)', () => {
  it('every message type has an example that survives encode → parse unchanged', () => {
    expect(clientExamples.map((m) => m.type).sort()).toEqual([...CLIENT_MESSAGE_TYPES].sort());
    expect(serverExamples.map((m) => m.type).sort()).toEqual([...SERVER_MESSAGE_TYPES].sort());
    for (const m of clientExamples) expect(parseClientFrame(encodeMessage(m))).toEqual({ ok: true, message: m });
    for (const m of serverExamples) expect(parseServerFrame(encodeMessage(m))).toEqual({ ok: true, message: m });
  });

  it('reports every failing path, never throws', () => {
    const result = parseClientMessage({ type: 'signal.send', id: '', to: 'nope', payload: 5 });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect([...new Set(result.issues.map((i) => i.path))].sort()).toEqual(['id', 'payload', 'to']);
    expect(result.knownType).toBe('signal.send');
    for (const junk of [null, undefined, 3, 'x', [], {}, { type: 5 }, { type: 'auth.proof' }]) {
      expect(parseClientMessage(junk).ok).toBe(false);
      expect(parseServerMessage(junk).ok).toBe(false);
    }
    expect(parseClientFrame('{not json')).toMatchObject({ ok: false, issues: [{ code: 'invalid_json' }] });
  });

  it('names an unknown type so a lenient client can ignore it', () => {
    const result = parseServerMessage({ type: 'future.thing', x: 1 });
    expect(result).toMatchObject({ ok: false, unknownType: 'future.thing', knownType: null });
  });

  it('ignores unknown fields (forward compatible) but bounds every string and array', () => {
    expect(parseServerMessage({ type: 'heartbeat.pong', t: 1, extra: true })).toEqual({ ok: true, message: { type: 'heartbeat.pong', t: 1 } });
    const tooMany = Array.from({ length: LIMITS.maxContacts + 1 }, () => key(1));
    expect(parseClientMessage({ type: 'contacts.set', contacts: tooMany }).ok).toBe(false);
    expect(parseClientMessage({ type: 'signal.send', id: 'a', to: key(1), payload: 'x'.repeat(LIMITS.maxSignalPayloadChars + 1) }).ok).toBe(false);
  });

  it('rejects keys that are not canonical 32-byte base64url', () => {
    const good = key(1);
    const nonCanonicalTail = good.slice(0, -1) + 'B'; // low bits of the last char must be zero
    for (const bad of [good + 'A', good.slice(1), good.replace(/.$/, '='), nonCanonicalTail, '+'.repeat(43)]) {
      expect(parseClientMessage({ type: 'contacts.set', contacts: [bad] }).ok).toBe(false);
    }
    expect(parseClientMessage({ type: 'contacts.set', contacts: [good] }).ok).toBe(true);
  });

  it('maxFrameBytes holds the largest real messages, and is not the 100 MiB ws default', () => {
    const contacts = Array.from({ length: LIMITS.maxContacts }, () => key(0xff));
    const biggestContacts = new TextEncoder().encode(encodeMessage({ type: 'contacts.set', contacts })).length;
    const biggestSignal = new TextEncoder().encode(
      encodeMessage({ type: 'signal.send', id: 'i'.repeat(LIMITS.maxRequestIdChars), to: key(1), payload: '\u0001'.repeat(LIMITS.maxSignalPayloadChars) }),
    ).length;
    expect(LIMITS.maxFrameBytes).toBeGreaterThanOrEqual(Math.max(biggestContacts, biggestSignal));
    expect(LIMITS.maxFrameBytes).toBeLessThan(2 * Math.max(biggestContacts, biggestSignal));
  });

  it('authProofSigningInput is signingInput("auth", authProofBody(…)) with wire-form fields', () => {
    const nonce = hexToBytes('a0'.repeat(32));
    const pub = hexToBytes('03'.repeat(32));
    const expected = signingInput('auth', authProofBody({ protocolVersion: 1, serverId: 'wss://x', nonce, timestampMs: 9, clientPublicKey: pub }));
    const fromText = authProofSigningInput({ serverId: 'wss://x', nonce: bytesToBase64url(nonce), timestampMs: 9, publicKey: bytesToBase64url(pub) });
    const fromBytes = authProofSigningInput({ serverId: 'wss://x', nonce, timestampMs: 9, publicKey: pub });
    expect(bytesToHex(fromText)).toBe(bytesToHex(expected));
    expect(bytesToHex(fromBytes)).toBe(bytesToHex(expected));
    expect(new TextDecoder().decode(fromText.subarray(1, 20))).toBe('discordopus/v1/auth');
  });

  it('close codes: which are fatal for a client', () => {
    expect(isFatalCloseCode(CLOSE_CODES.AUTH_FAILED)).toBe(true);
    expect(isFatalCloseCode(CLOSE_CODES.CONNECTED_ELSEWHERE)).toBe(true);
    expect(isFatalCloseCode(CLOSE_CODES.GOING_AWAY)).toBe(false);
    expect(isFatalCloseCode(CLOSE_CODES.AUTH_TIMEOUT)).toBe(false);
    expect(isFatalCloseCode(CLOSE_CODES.RATE_LIMITED)).toBe(false);
    expect(closeCodeName(4409)).toBe('CONNECTED_ELSEWHERE');
    expect(closeCodeName(4999)).toBe('UNKNOWN');
  });
});

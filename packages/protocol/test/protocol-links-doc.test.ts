import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { chacha20poly1305 } from '@noble/ciphers/chacha.js';
import { ed25519, x25519 } from '@noble/curves/ed25519.js';
import { hkdf } from '@noble/hashes/hkdf.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { describe, expect, it } from 'vitest';
import {
  base64urlToBytes,
  bytesToBase64url,
  bytesToHex,
  hexToBytes,
  LINK_ERROR_CODES,
  LINK_SIGNAL_TYPES,
  linkHelloBody,
  PEER_FRAME_TYPES,
  parseLinkSignalBody,
  profileCardBody,
  readSealedSignal,
  sealedSignalBody,
  signingInput,
} from '../src/index';

function protocolDoc(): string {
  return readFileSync(fileURLToPath(new URL('../../../PROTOCOL.md', import.meta.url)), 'utf8');
}

/** The first-column codes of the tables in one subsection (`### 6.1 …` up to the next `###`). */
function tableKeys(heading: string): string[] {
  const doc = protocolDoc();
  const start = doc.indexOf(`### ${heading}`);
  if (start < 0) throw new Error(`PROTOCOL.md has no section ${heading}`);
  const end = doc.indexOf('\n### ', start + 4);
  const section = doc.slice(start, end < 0 ? undefined : end);
  return [...section.matchAll(/^\| `([^`]+)` \|/gm)].map((m) => m[1] as string);
}

/** The section-6 worked example of PROTOCOL.md, line by line. */
function linksExample(): (name: string) => string {
  const doc = protocolDoc();
  const block = /<!-- links-example:start -->\s*```\n([\s\S]*?)```\s*<!-- links-example:end -->/.exec(doc);
  if (!block?.[1]) throw new Error('PROTOCOL.md has no links example block');
  const values: Record<string, string> = {};
  for (const line of block[1].split('\n')) {
    const m = /^([a-z0-9_]+):\s+(.+?)\s*$/.exec(line);
    if (m?.[1] && m[2]) values[m[1]] = m[2];
  }
  return (name) => {
    const value = values[name];
    if (value === undefined) throw new Error(`the links example lacks ${name}`);
    return value;
  };
}

// An independent writer for the canonical fields of section 3 (not CanonicalWriter).
const u32 = (n: number) => [(n >>> 24) & 0xff, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff];
const u64 = (n: number) => [...u32(Math.floor(n / 2 ** 32)), ...u32(n >>> 0)];
const field = (bytes: Uint8Array) => [...u32(bytes.length), ...bytes];
const text = (s: string) => field(new TextEncoder().encode(s));

describe('PROTOCOL.md 6: worked example of a sealed set-up message, handshake and card (P2P-02, P2P-04, P2P-05)', () => {
  const ex = linksExample();
  const senderSeed = hexToBytes(ex('sender_seed'));
  const recipientSeed = hexToBytes(ex('recipient_seed'));
  const A = ed25519.getPublicKey(senderSeed);
  const B = ed25519.getPublicKey(recipientSeed);

  it('P2P-04: keys, the signed body and its signature', () => {
    expect(bytesToHex(A)).toBe(ex('sender_public_key'));
    expect(bytesToHex(B)).toBe(ex('recipient_public_key'));
    expect(bytesToHex(ed25519.utils.toMontgomery(B))).toBe(ex('recipient_x25519_public'));
    const linkId = ex('link_id');
    expect(base64urlToBytes(linkId)).toEqual(Uint8Array.from({ length: 16 }, (_, i) => 0x70 + i));
    const independent = Uint8Array.from([
      ...field(A),
      ...field(B),
      ...text(linkId),
      ...u64(Number(ex('seq'))),
      ...u64(Number(ex('sent_at_ms'))),
      ...text(ex('body_json')),
    ]);
    expect(bytesToHex(independent)).toBe(ex('signal_body'));
    const ours = sealedSignalBody({
      senderPublicKey: A,
      recipientPublicKey: B,
      linkId,
      seq: Number(ex('seq')),
      sentAtMs: Number(ex('sent_at_ms')),
      bodyJson: ex('body_json'),
    });
    expect(bytesToHex(ours)).toBe(ex('signal_body'));
    const prefix = new TextEncoder().encode('discordopus/v1/signal');
    const input = Uint8Array.from([prefix.length, ...prefix, ...independent]);
    expect(signingInput('signal', independent)).toEqual(input);
    expect(bytesToHex(ed25519.sign(input, senderSeed))).toBe(ex('signature'));
  });

  it('P2P-04: the seal: ephemeral key, shared secret, HKDF, ChaCha20-Poly1305 and the payload', () => {
    const eph = hexToBytes(ex('ephemeral_secret'));
    const ephPub = x25519.getPublicKey(eph);
    expect(bytesToHex(ephPub)).toBe(ex('ephemeral_public'));
    const shared = x25519.getSharedSecret(eph, ed25519.utils.toMontgomery(B));
    expect(bytesToHex(shared)).toBe(ex('shared_secret'));
    // The recipient gets the same secret from its own seed.
    expect(x25519.getSharedSecret(ed25519.utils.toMontgomerySecret(recipientSeed), ephPub)).toEqual(shared);
    const info = Uint8Array.from([...new TextEncoder().encode('discordopus/v1/signal-seal'), ...ephPub, ...B]);
    expect(bytesToHex(info)).toBe(ex('hkdf_info'));
    const key = hkdf(sha256, shared, new Uint8Array(0), info, 32);
    expect(bytesToHex(key)).toBe(ex('seal_key'));
    const nonce = hexToBytes(ex('nonce'));
    const plaintext = Uint8Array.from([...hexToBytes(ex('signal_body')), ...hexToBytes(ex('signature'))]);
    const sealed = chacha20poly1305(key, nonce).encrypt(plaintext);
    expect(bytesToHex(sealed)).toBe(ex('sealed'));
    expect(ex('payload')).toBe(`s1.${bytesToBase64url(Uint8Array.from([...ephPub, ...nonce, ...sealed]))}`);
  });

  it('P2P-04: the recipient reads the documented fields back out of the plaintext', () => {
    const plaintext = Uint8Array.from([...hexToBytes(ex('signal_body')), ...hexToBytes(ex('signature'))]);
    const read = readSealedSignal(plaintext);
    expect(read?.fields).toEqual({
      senderPublicKey: A,
      recipientPublicKey: B,
      linkId: ex('link_id'),
      seq: 1,
      sentAtMs: Number(ex('sent_at_ms')),
      bodyJson: ex('body_json'),
    });
    expect(ed25519.verify(read?.signature as Uint8Array, signingInput('signal', read?.signedBody as Uint8Array), A)).toBe(true);
    expect(parseLinkSignalBody(ex('body_json'))).toEqual({ ok: true, frame: { type: 'link.bye', reason: 'idle' } });
  });

  it('P2P-02: the handshake body and signature', () => {
    const fp = (line: string) => {
      const [algorithm, value] = line.split(' ');
      return { algorithm: algorithm as 'sha-256', value: value as string };
    };
    const independent = Uint8Array.from([
      0,
      1,
      ...field(A),
      ...field(B),
      ...text(ex('link_id')),
      ...text(ex('sender_fingerprint')),
      ...text(ex('recipient_fingerprint')),
    ]);
    expect(bytesToHex(independent)).toBe(ex('hello_body'));
    const ours = linkHelloBody({
      version: 1,
      signerPublicKey: A,
      peerPublicKey: B,
      linkId: ex('link_id'),
      signerFingerprint: fp(ex('sender_fingerprint')),
      peerFingerprint: fp(ex('recipient_fingerprint')),
    });
    expect(ours).toEqual(independent);
    const prefix = new TextEncoder().encode('discordopus/v1/link-handshake');
    expect(bytesToBase64url(ed25519.sign(Uint8Array.from([prefix.length, ...prefix, ...independent]), senderSeed))).toBe(ex('hello_signature'));
  });

  it('P2P-05: the profile card body and signature', () => {
    const independent = Uint8Array.from([...field(A), ...text(ex('card_display_name')), ...u64(Number(ex('card_updated_at_ms')))]);
    expect(bytesToHex(independent)).toBe(ex('card_body'));
    expect(profileCardBody({ ownerPublicKey: A, displayName: ex('card_display_name'), updatedAtMs: Number(ex('card_updated_at_ms')) })).toEqual(independent);
    const prefix = new TextEncoder().encode('discordopus/v1/profile-card');
    expect(bytesToBase64url(ed25519.sign(Uint8Array.from([prefix.length, ...prefix, ...independent]), senderSeed))).toBe(ex('card_signature'));
  });
});

describe('PROTOCOL.md 6: the tables name exactly what the schemas accept (P2P-01, P2P-04)', () => {
  it('P2P-04: 6.1 lists every set-up body type', () => {
    expect(tableKeys('6.1').filter((k) => k.startsWith('link.')).sort()).toEqual([...LINK_SIGNAL_TYPES].sort());
  });

  it('P2P-01: 6.3 lists every peer frame type and every link.error code', () => {
    expect(tableKeys('6.3').sort()).toEqual([...PEER_FRAME_TYPES].sort());
    const errorRow = protocolDoc().split('\n').find((line) => line.startsWith('| `link.error` |')) ?? '';
    expect([...errorRow.matchAll(/`([A-Z_]+)`/g)].map((m) => m[1]).sort()).toEqual([...LINK_ERROR_CODES].sort());
  });
});

import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ed25519 } from '@noble/curves/ed25519.js';
import { describe, expect, it } from 'vitest';
import {
  authProofBody,
  bytesToHex,
  decodeUserId,
  encodeUserId,
  formatSafetyNumber,
  hexToBytes,
  PROTOCOL_VERSION,
  safetyNumber,
  signingInput,
} from '../src/index';

/** Reads the worked example out of PROTOCOL.md so the document cannot drift from the code. */
function workedExample(): Record<string, string> {
  const doc = readFileSync(fileURLToPath(new URL('../../../PROTOCOL.md', import.meta.url)), 'utf8');
  const block = /<!-- worked-example:start -->\s*```\n([\s\S]*?)```\s*<!-- worked-example:end -->/.exec(doc);
  if (!block?.[1]) throw new Error('PROTOCOL.md has no worked example block');
  const values: Record<string, string> = {};
  for (const line of block[1].split('\n')) {
    const m = /^([a-z_]+):\s+(.+?)\s*$/.exec(line);
    if (m?.[1] && m[2]) values[m[1]] = m[2];
  }
  return values;
}

describe('PROTOCOL.md worked example (IDEN-01, IDEN-02, CONT-05)', () => {
  const ex = workedExample();
  const field = (name: string): string => {
    const value = ex[name];
    if (value === undefined) throw new Error(`worked example lacks ${name}`);
    return value;
  };

  it('the public key and user ID follow from the seed', () => {
    const pub = ed25519.getPublicKey(hexToBytes(field('seed')));
    expect(bytesToHex(pub)).toBe(field('public_key'));
    expect(encodeUserId(pub)).toBe(field('user_id'));
    expect(bytesToHex(decodeUserId(field('user_id')))).toBe(field('public_key'));
  });

  it('the auth body, signing input and signature are byte-exact', () => {
    const body = authProofBody({
      protocolVersion: PROTOCOL_VERSION,
      serverId: field('server_id'),
      nonce: hexToBytes(field('nonce')),
      timestampMs: Number(field('timestamp_ms')),
      clientPublicKey: hexToBytes(field('public_key')),
    });
    expect(bytesToHex(body)).toBe(field('auth_body'));
    const input = signingInput('auth', body);
    expect(bytesToHex(input)).toBe(field('signing_input'));
    // Ed25519 is deterministic: an independent implementation gives the same signature.
    expect(bytesToHex(ed25519.sign(input, hexToBytes(field('seed'))))).toBe(field('signature'));
  });

  it('the safety number of the two example keys', () => {
    const a = ed25519.getPublicKey(hexToBytes(field('seed')));
    const b = ed25519.getPublicKey(hexToBytes(field('peer_seed')));
    expect(encodeUserId(b)).toBe(field('peer_user_id'));
    expect(formatSafetyNumber(safetyNumber(a, b)).join(' ')).toBe(field('safety_number'));
  });
});

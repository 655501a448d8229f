import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { bytesToHex, hexToBytes } from '@discordopus/protocol';
import { describe, expect, it } from 'vitest';
import { Identity } from '../../identity/identity';
import { buildLinkHello, verifyLinkHello } from './link-hello';
import { signProfileCard, verifyProfileCard } from '../../identity/profile-card';
import { SIGNAL_OPEN_ERROR_CODES, SignalSealer } from './signal-sealer';

function linksExample(): (name: string) => string {
  const doc = readFileSync(fileURLToPath(new URL('../../../../../PROTOCOL.md', import.meta.url)), 'utf8');
  const block = /<!-- links-example:start -->\s*```\n([\s\S]*?)```\s*<!-- links-example:end -->/.exec(doc);
  if (!block?.[1]) throw new Error('PROTOCOL.md has no links example block');
  const values = new Map<string, string>();
  for (const line of block[1].split('\n')) {
    const m = /^([a-z0-9_]+):\s+(.+?)\s*$/.exec(line);
    if (m?.[1] && m[2]) values.set(m[1], m[2]);
  }
  return (name) => {
    const value = values.get(name);
    if (value === undefined) throw new Error(`the links example lacks ${name}`);
    return value;
  };
}

describe('the core implements PROTOCOL.md 6 byte for byte (P2P-02, P2P-04, P2P-05)', () => {
  const ex = linksExample();
  const alice = Identity.fromSeed(hexToBytes(ex('sender_seed')), 'Alice');
  const bob = Identity.fromSeed(hexToBytes(ex('recipient_seed')), 'Bob');
  const clock = { now: () => Number(ex('sent_at_ms')) };
  const fp = (line: string) => {
    const [algorithm, value] = line.split(' ');
    return { algorithm: algorithm as 'sha-256', value: value as string };
  };

  it('P2P-04: SignalSealer, given the example ephemeral secret and nonce, seals exactly the documented payload', () => {
    const fixed = [...hexToBytes(ex('ephemeral_secret')), ...hexToBytes(ex('nonce'))];
    let offset = 0;
    const random = (n: number) => {
      const out = Uint8Array.from(fixed.slice(offset, offset + n));
      offset += n;
      return out;
    };
    const sealer = new SignalSealer({ identity: alice, clock, random });
    const payload = sealer.seal({ to: ex('recipient_public_key'), linkId: ex('link_id'), seq: Number(ex('seq')), body: JSON.parse(ex('body_json')) });
    expect(payload).toBe(ex('payload'));
  });

  it('P2P-04: the refusal table of 6.1 lists exactly the codes open() returns', () => {
    const doc = readFileSync(fileURLToPath(new URL('../../../../../PROTOCOL.md', import.meta.url)), 'utf8');
    const section = doc.slice(doc.indexOf('### 6.1'), doc.indexOf('### 6.2'));
    const codes = [...section.matchAll(/^\| `([A-Z_]+)` \|/gm)].map((m) => m[1]);
    expect(codes.sort()).toEqual([...SIGNAL_OPEN_ERROR_CODES].sort());
  });

  it('P2P-04: the recipient opens the documented payload', () => {
    const opened = new SignalSealer({ identity: bob, clock }).open({ from: bytesToHex(alice.publicKey), payload: ex('payload') });
    expect(opened).toEqual({ ok: true, linkId: ex('link_id'), seq: 1, sentAtMs: Number(ex('sent_at_ms')), body: { type: 'link.bye', reason: 'idle' } });
  });

  it('P2P-02: buildLinkHello gives the documented signature, and Bob accepts it from his side', () => {
    const hello = buildLinkHello({
      identity: alice,
      peerPublicKey: bob.publicKey,
      linkId: ex('link_id'),
      localFingerprint: fp(ex('sender_fingerprint')),
      remoteFingerprint: fp(ex('recipient_fingerprint')),
    });
    expect(hello).toEqual({ type: 'link.hello', version: 1, linkId: ex('link_id'), signature: ex('hello_signature') });
    const verdict = verifyLinkHello({
      frame: hello,
      localPublicKey: bob.publicKey,
      peerPublicKey: alice.publicKey,
      linkId: ex('link_id'),
      localFingerprint: fp(ex('recipient_fingerprint')),
      remoteFingerprint: fp(ex('sender_fingerprint')),
      signaledRemoteFingerprint: fp(ex('sender_fingerprint')),
    });
    expect(verdict).toEqual({ ok: true, version: 1 });
  });

  it('P2P-05: signProfileCard gives the documented card', () => {
    const updatedAtMs = Number(ex('card_updated_at_ms'));
    const card = signProfileCard({ identity: alice, displayName: ex('card_display_name'), updatedAtMs });
    expect(card.signature).toBe(ex('card_signature'));
    expect(verifyProfileCard({ card, ownerPublicKey: alice.publicKey, nowMs: updatedAtMs }).ok).toBe(true);
  });
});

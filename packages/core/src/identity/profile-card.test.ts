import { bytesToBase64url, profileCardBody, profileCardSchema } from '@discordopus/protocol';
import { describe, expect, it } from 'vitest';
import { Identity } from './identity';
import { PROFILE_CARD_MAX_FUTURE_MS, signProfileCard, verifyProfileCard, type ProfileCardFrame } from './profile-card';

const NOW = 1_767_225_600_000;

function world() {
  const alice = Identity.create('Alice');
  const bob = Identity.create('Bob');
  const card = signProfileCard({ identity: alice, displayName: 'Alice Liddell', updatedAtMs: NOW });
  const check = (c: ProfileCardFrame, owner = alice.publicKey, nowMs = NOW) => verifyProfileCard({ card: c, ownerPublicKey: owner, nowMs });
  /** A card Alice really signed, whatever the name (to test the name rules apart from the signature). */
  const signedAnyway = (displayName: string, updatedAtMs = NOW): ProfileCardFrame => ({
    type: 'profile.card',
    displayName,
    updatedAtMs,
    signature: bytesToBase64url(alice.sign('profileCard', profileCardBody({ ownerPublicKey: alice.publicKey, displayName, updatedAtMs }))),
  });
  return { alice, bob, card, check, signedAnyway };
}

const code = (v: ReturnType<typeof verifyProfileCard>) => (v.ok ? 'ok' : v.code);

describe('profile cards (P2P-05)', () => {
  it("P2P-05: a card verifies under its owner's key and passes the frame schema", () => {
    const { card, check } = world();
    expect(profileCardSchema.safeParse(card).success).toBe(true);
    expect(check(card)).toEqual({ ok: true, card: { displayName: 'Alice Liddell', updatedAtMs: NOW, signature: card.signature } });
  });

  it('P2P-05: a changed name, a changed time or another owner is refused (BAD_SIGNATURE)', () => {
    const { bob, card, check } = world();
    expect(code(check({ ...card, displayName: 'Mallory' }))).toBe('BAD_SIGNATURE');
    expect(code(check({ ...card, updatedAtMs: NOW + 1 }))).toBe('BAD_SIGNATURE');
    expect(code(check(card, bob.publicKey))).toBe('BAD_SIGNATURE');
    expect(code(check({ ...card, signature: '!' }))).toBe('BAD_SIGNATURE');
  });

  it('P2P-05: a signature over the same body for another purpose is refused', () => {
    const { alice, card, check } = world();
    const body = profileCardBody({ ownerPublicKey: alice.publicKey, displayName: card.displayName, updatedAtMs: NOW });
    for (const purpose of ['linkHandshake', 'signal', 'contactRequest'] as const) {
      expect(code(check({ ...card, signature: bytesToBase64url(alice.sign(purpose, body)) }))).toBe('BAD_SIGNATURE');
    }
  });

  it('P2P-05: a signed name that breaks the display-name rules is refused, not repaired (BAD_NAME)', () => {
    const { check, signedAnyway } = world();
    expect(check(signedAnyway('Alice')).ok).toBe(true);
    for (const bad of [' Alice', 'Al\nice', 'Al\u202eice', '', 'x'.repeat(65), 'e\u0301']) {
      expect(code(check(signedAnyway(bad)))).toBe('BAD_NAME');
    }
  });

  it('P2P-05: a card dated too far in the future is refused, so it cannot outrank later changes', () => {
    const { check, signedAnyway } = world();
    expect(check(signedAnyway('Alice', NOW + PROFILE_CARD_MAX_FUTURE_MS)).ok).toBe(true);
    expect(code(check(signedAnyway('Alice', NOW + PROFILE_CARD_MAX_FUTURE_MS + 1)))).toBe('FROM_THE_FUTURE');
  });

  it('P2P-05: signing normalises the name and refuses one the rules refuse', () => {
    const { alice } = world();
    expect(signProfileCard({ identity: alice, displayName: '  Ali\u0301ce ', updatedAtMs: NOW }).displayName).toBe('Alíce');
    expect(() => signProfileCard({ identity: alice, displayName: '  ', updatedAtMs: NOW })).toThrow(/empty/);
  });
});

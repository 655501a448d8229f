import {
  base64urlToBytes,
  bytesToBase64url,
  profileCardBody,
  type PeerFrameOf,
  type SigningPurpose,
} from '@discordopus/protocol';
import { verifyForPurpose } from './ed25519';
import { checkShortName } from '../text/short-name';

export type ProfileCardFrame = PeerFrameOf<'profile.card'>;

/** A verified card, as the contacts store keeps it (the signature lets it be checked again). */
export interface VerifiedProfileCard {
  displayName: string;
  updatedAtMs: number;
  /** base64url Ed25519 signature under the `profileCard` purpose. */
  signature: string;
}

export interface SignProfileCardInput {
  identity: { readonly publicKey: Uint8Array; sign(purpose: SigningPurpose, body: Uint8Array): Uint8Array };
  displayName: string;
  /** When the owner set this name (ms since the Unix epoch). */
  updatedAtMs: number;
}

/** The owner's signed display name (P2P-05, PROTOCOL.md 6.3). Throws on a name the rules refuse. */
export function signProfileCard(input: SignProfileCardInput): ProfileCardFrame {
  const checked = checkShortName(input.displayName, 'A display name');
  if ('problem' in checked) throw new RangeError(checked.problem);
  const body = profileCardBody({
    ownerPublicKey: input.identity.publicKey,
    displayName: checked.name,
    updatedAtMs: input.updatedAtMs,
  });
  return {
    type: 'profile.card',
    displayName: checked.name,
    updatedAtMs: input.updatedAtMs,
    signature: bytesToBase64url(input.identity.sign('profileCard', body)),
  };
}

/** How far in the future a card's `updatedAtMs` may be (a later genuine change must still win). */
export const PROFILE_CARD_MAX_FUTURE_MS = 10 * 60_000;

export interface VerifyProfileCardInput {
  card: Pick<ProfileCardFrame, 'displayName' | 'updatedAtMs' | 'signature'>;
  /** The contact the card came from (the link's authenticated peer). */
  ownerPublicKey: Uint8Array;
  /** This side's clock now. */
  nowMs: number;
}

export type ProfileCardVerdict =
  | { ok: true; card: VerifiedProfileCard }
  | { ok: false; code: 'BAD_SIGNATURE' | 'BAD_NAME' | 'FROM_THE_FUTURE'; reason: string };

/** Check a card against its owner's key and the display-name rules. Never throws. */
export function verifyProfileCard(input: VerifyProfileCardInput): ProfileCardVerdict {
  const { card } = input;
  const checked = checkShortName(card.displayName, 'A display name');
  if ('problem' in checked || checked.name !== card.displayName) {
    return { ok: false, code: 'BAD_NAME', reason: 'the display name breaks the display-name rules' };
  }
  if (!Number.isSafeInteger(card.updatedAtMs) || card.updatedAtMs < 0) {
    return { ok: false, code: 'BAD_NAME', reason: 'the update time is not a time' };
  }
  if (card.updatedAtMs > input.nowMs + PROFILE_CARD_MAX_FUTURE_MS) {
    return { ok: false, code: 'FROM_THE_FUTURE', reason: 'the card is dated in the future' };
  }
  let signature: Uint8Array;
  try {
    signature = base64urlToBytes(card.signature);
  } catch {
    return { ok: false, code: 'BAD_SIGNATURE', reason: 'the signature is not base64url' };
  }
  const body = profileCardBody({ ownerPublicKey: input.ownerPublicKey, displayName: card.displayName, updatedAtMs: card.updatedAtMs });
  if (!verifyForPurpose(input.ownerPublicKey, 'profileCard', body, signature)) {
    return { ok: false, code: 'BAD_SIGNATURE', reason: 'the card is not signed by this contact' };
  }
  return { ok: true, card: { displayName: card.displayName, updatedAtMs: card.updatedAtMs, signature: card.signature } };
}

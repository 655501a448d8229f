import { bytesToBase64url } from '../encoding/bytes';
import type { PeerFrame } from './peer-frames';

/** Test-only: one valid example of every peer frame type. */
const LINK = bytesToBase64url(new Uint8Array(16).fill(9));
const SIG = bytesToBase64url(new Uint8Array(64).fill(3));

export const VALID_FRAMES: readonly PeerFrame[] = [
  { type: 'link.hello', version: 1, linkId: LINK, signature: SIG },
  { type: 'link.ping', nonce: 'n-1_x', sentAtMs: 12 },
  { type: 'link.pong', nonce: 'n-1_x', sentAtMs: 12 },
  { type: 'profile.card', displayName: 'Bob 🎸', updatedAtMs: 1_767_225_600_000, signature: SIG },
  { type: 'link.close', reason: 'idle' },
  { type: 'link.error', code: 'RATE_LIMITED' },
];

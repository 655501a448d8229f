import { bytesToBase64url } from '../encoding/bytes';
import type { PeerFrame } from './peer-frames';

/** Test-only: one valid example of every peer frame type. */
const LINK = bytesToBase64url(new Uint8Array(16).fill(9));
const SIG = bytesToBase64url(new Uint8Array(64).fill(3));
const AUTHOR = bytesToBase64url(new Uint8Array(32).fill(7));
const ID = bytesToBase64url(new Uint8Array(16).fill(5));
const FINGERPRINT = `sha-256 ${Array.from({ length: 32 }, () => 'AB').join(':')}`;
const SDP = 'v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\nm=audio 9 UDP/TLS/RTP/SAVPF 111\r\n';

export const VALID_FRAMES: readonly PeerFrame[] = [
  { type: 'link.hello', version: 1, linkId: LINK, signature: SIG },
  { type: 'link.ping', nonce: 'n-1_x', sentAtMs: 12 },
  { type: 'link.pong', nonce: 'n-1_x', sentAtMs: 12 },
  { type: 'profile.card', displayName: 'Bob 🎸', updatedAtMs: 1_767_225_600_000, signature: SIG },
  { type: 'link.close', reason: 'idle' },
  { type: 'link.error', code: 'RATE_LIMITED' },
  // Direct messages (MSG-01..03, PROTOCOL.md §7) travel as application frames.
  { type: 'message.send', seq: 1, author: AUTHOR, id: ID, sentAt: 5, text: 'hi "there" \\ 🎸', replyTo: null, editedAt: null, deleted: false },
  { type: 'message.edit', seq: 2, author: AUTHOR, id: ID, text: 'hi!', editedAt: 6 },
  { type: 'message.delete', seq: 3, author: AUTHOR, id: ID, deletedAt: 7 },
  { type: 'message.react', seq: 4, author: AUTHOR, id: ID, emoji: '👍🏽', on: true, at: 8 },
  { type: 'message.ack', upTo: 4 },
  { type: 'message.resume', received: 3, read: null },
  { type: 'receipt.read', upTo: 2 },
  { type: 'typing.state', typing: true },
  // File control frames (FILE-01, PROTOCOL.md §8) on the link.
  { type: 'file.offer', id: ID, name: 'cat.png', size: 3, mime: 'image/png', sha256: bytesToBase64url(new Uint8Array(32).fill(1)), caption: null, preview: null, sentAt: 9 },
  { type: 'file.decline', id: ID },
  { type: 'file.cancel', id: ID },
  { type: 'file.complete', id: ID, sha256: bytesToBase64url(new Uint8Array(32).fill(1)) },
  { type: 'file.error', id: ID, code: 'DISK_FULL', message: 'The disk is full.' },
  // Voice calls (VOICE-01..04, PROTOCOL.md §9) travel as application frames.
  { type: 'call.invite', callId: ID, fingerprint: FINGERPRINT, sdp: SDP },
  { type: 'call.ringing', callId: ID },
  { type: 'call.accept', callId: ID, fingerprint: FINGERPRINT, sdp: SDP },
  { type: 'call.decline', callId: ID, reason: 'busy' },
  { type: 'call.candidates', callId: ID, candidates: [{ candidate: 'candidate:1 1 udp 2122260223 127.0.0.1 50000 typ host', sdpMid: '0', sdpMLineIndex: 0, usernameFragment: null }] },
  { type: 'call.hangup', callId: ID, reason: 'hangup' },
  { type: 'call.restart', callId: ID, kind: 'offer', sdp: SDP },
  { type: 'call.cancel', callId: ID, reason: 'timeout' },
];

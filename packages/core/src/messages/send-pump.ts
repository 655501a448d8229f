import type { DeliveryContext, LinkState } from './link-state';
import { errorCode } from './link-state';
import type { SyncPoints } from './message-types';

/**
 * Our resume point, in the peer's numbering, with both epochs (§7.3): `epoch` is ours (absent
 * before the conversation exists), `receivedEpoch` the peer's stream we count in (absent for a
 * conversation that predates epochs, null when we hold nothing of it), `from` our oldest
 * change still in the outbox.
 */
export function sendResume(ctx: DeliveryContext, state: LinkState, points: SyncPoints): boolean {
  const base = points.peerSeqBase;
  const legacy = points.peerEpoch === null && points.received > 0;
  const accepted = state.link.send({
    type: 'message.resume',
    received: points.received - base,
    // Nothing read is 0, never a number the peer's current stream has not reached.
    read: ctx.sendReadReceipts() ? (points.read === 0 ? 0 : Math.max(0, points.read - base)) : null,
    ...(points.ownEpoch === null ? {} : { epoch: points.ownEpoch, from: points.peerAcked + 1 }),
    ...(legacy ? {} : { receivedEpoch: points.peerEpoch }),
    ...(points.ownEpoch !== null && points.ownEpochContinued ? { continued: true as const } : {}),
  });
  // Refused (back-pressure, not open yet): not announced, so the next pump says it again first.
  if (accepted) state.announcedEpoch = points.ownEpoch;
  return accepted;
}

/** Send own changes the peer lacks, oldest first, until done, the window is full or the link pushes back. */
export function pump(ctx: DeliveryContext, key: string, state: LinkState): void {
  if (!state.resumed || ctx.links.get(key) !== state) return;
  const first = state.nextToSend;
  const points = ctx.store.syncPoints(key);
  // The conversation (and our epoch) was made after this link's resume: say it before any change.
  if (points.ownEpoch !== state.announcedEpoch && !sendResume(ctx, state, points)) {
    arm(ctx, key, state); // the drained event or the retransmit timer tries again
    return;
  }
  const windowEnd = points.peerAcked + ctx.maxInFlight;
  let blocked = false;
  while (!blocked) {
    const room = Math.min(ctx.sendBatch, windowEnd - (state.nextToSend - 1));
    if (room <= 0) break;
    const frames = ctx.store.pendingFrames(key, state.nextToSend - 1, room);
    if (frames.length === 0) break;
    for (const frame of frames) {
      if (!state.link.send(frame)) {
        blocked = true;
        break;
      }
      state.nextToSend = frame.seq + 1;
    }
  }
  if (state.nextToSend > first) {
    ctx.store.markSent(key, first, state.nextToSend - 1);
    ctx.emit('receipt', { peer: key, state: 'sent', upToSeq: state.nextToSend - 1 });
  }
  arm(ctx, key, state);
}

/** Keep one timer per link while something waits: our resume, or an ack for what we sent. */
export function arm(ctx: DeliveryContext, key: string, state: LinkState): void {
  disarm(ctx, state);
  const points = ctx.store.syncPoints(key);
  if (state.resumed && points.peerAcked >= points.ownSeq) return;
  state.ackAtArm = points.peerAcked;
  state.timer = ctx.clock.setTimeout(() => {
    state.timer = null;
    if (ctx.links.get(key) !== state) return;
    try {
      retransmit(ctx, key, state);
    } catch (err) {
      ctx.log.warn({ err: errorCode(err) }, 'retransmit failed');
    }
  }, ctx.retransmitMs);
}

/** Stop the link's retransmit timer. */
export function disarm(ctx: DeliveryContext, state: LinkState): void {
  if (state.timer !== null) ctx.clock.clearTimeout(state.timer);
  state.timer = null;
}

function retransmit(ctx: DeliveryContext, key: string, state: LinkState): void {
  const now = ctx.store.syncPoints(key);
  if (!state.resumed) {
    // Our resume or theirs was lost: say ours again and go on from what is known.
    sendResume(ctx, state, now);
    state.resumed = true;
  }
  if (now.peerAcked === state.ackAtArm) state.nextToSend = now.peerAcked + 1; // no progress: go back N
  pump(ctx, key, state);
}

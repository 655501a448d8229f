import type { MessageFrame } from '@discordopus/protocol/messages';
import type { RefusalReason } from './apply-incoming';
import type { DeliveryContext, LinkState } from './link-state';
import { pump } from './send-pump';

/** The peer's cumulative ack: delivered receipts, and the send window moves. */
export function onAck(ctx: DeliveryContext, key: string, upTo: number): void {
  const change = ctx.store.applyAck(key, upTo);
  if (change === 'beyond') ctx.refuse(key, 'ack-beyond', 'message.ack');
  else if (change === 'advanced') {
    ctx.emit('receipt', { peer: key, state: 'delivered', upToSeq: upTo });
    const state = ctx.links.get(key);
    if (state) pump(ctx, key, state); // the window moved; progress: the retransmit timer counts from here
  }
}

/** The peer's read receipt (alone or in its resume); false when it was refused. */
export function onRead(ctx: DeliveryContext, key: string, upTo: number, reason: RefusalReason): boolean {
  const change = ctx.store.applyPeerRead(key, upTo);
  if (change === 'beyond') {
    ctx.refuse(key, reason, reason === 'receipt-beyond' ? 'receipt.read' : 'message.resume');
    return false;
  }
  if (change === 'advanced') ctx.emit('receipt', { peer: key, state: 'read', upToSeq: upTo });
  return true;
}

/** The peer's resume point (§7.3): adopt its epoch if new, then send what it lacks. */
export function onResume(
  ctx: DeliveryContext,
  key: string,
  state: LinkState,
  frame: Extract<MessageFrame, { type: 'message.resume' }>,
): void {
  let points = ctx.store.syncPoints(key);
  if (frame.epoch != null && frame.epoch !== points.peerEpoch) {
    // The peer numbers in a stream we do not count in: it lost its history (restored from a
    // backup) or we never knew its epoch. Its changes go after what we hold, unless it says
    // the epoch continues the stream we hold without one. Once per link: a peer flipping
    // epochs would force a full-sync write and a rewind per resume.
    if (state.epochAdopted) {
      ctx.refuse(key, 'epoch-flip', 'message.resume');
      return;
    }
    state.epochAdopted = true;
    ctx.store.adoptPeerEpoch(key, frame.epoch, frame.from ?? 1, frame.continued === true);
    points = ctx.store.syncPoints(key);
  }
  const knowsOurs = frame.receivedEpoch === undefined || (frame.receivedEpoch !== null && frame.receivedEpoch === points.ownEpoch);
  if (!knowsOurs) {
    // It holds nothing of our stream (or an old one of ours): what our outbox still has goes.
    state.resumed = true;
    state.nextToSend = points.peerAcked + 1;
    pump(ctx, key, state);
    return;
  }
  const { received, read } = frame;
  if (received > points.ownSeq || (read !== null && read > points.ownSeq)) {
    // The peer claims changes we never made (its vault is not the one we talked to): keep ours.
    ctx.refuse(key, 'resume-beyond', 'message.resume');
  } else {
    onAck(ctx, key, received);
    if (read !== null) onRead(ctx, key, read, 'resume-beyond');
  }
  state.resumed = true;
  state.nextToSend = Math.min(received, points.ownSeq) + 1; // go back to what it lacks
  pump(ctx, key, state);
}

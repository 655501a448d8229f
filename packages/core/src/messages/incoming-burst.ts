import { bytesToBase64url, hexToBytes } from '@discordopus/protocol';
import type { DeliveryContext, LinkState } from './link-state';
import { errorCode } from './link-state';
import { sendResume } from './send-pump';

/**
 * Store the sequenced frames received since the last flush in one transaction, tell the UI,
 * then acknowledge them cumulatively (and ask for a resume after a gap) if the link is still live.
 */
export function flushInbox(ctx: DeliveryContext, key: string, state: LinkState): void {
  state.flushScheduled = false;
  if (state.inbox.length === 0) return;
  const frames = state.inbox;
  state.inbox = [];
  let result;
  let base = 0;
  try {
    // The peer's numbers, moved onto this side's numbering of its stream (§7.3).
    base = ctx.store.syncPoints(key).peerSeqBase;
    const local = base === 0 ? frames : frames.map((f) => ({ ...f, seq: f.seq + base }));
    result = ctx.store.applyIncoming(key, bytesToBase64url(hexToBytes(key)), local);
  } catch (err) {
    // Nothing was stored and nothing acknowledged: the peer will send these again.
    ctx.log.warn({ err: errorCode(err) }, 'incoming messages not stored');
    return;
  }
  for (const r of result.refused) ctx.refuse(key, r.reason, r.type);
  let added = false;
  for (const change of result.changed) {
    const message = result.messages.get(change.rowid);
    if (!message) continue;
    if (change.kind === 'added') added = true;
    ctx.emit(change.kind === 'added' ? 'messageAdded' : 'messageUpdated', { peer: key, message });
  }
  if (added) {
    ctx.typing.incoming(key, false);
    ctx.emit('unreadChanged', { peer: key, unread: ctx.store.unreadCount(key) });
  }
  const live = ctx.links.get(key) === state;
  if (!live) return;
  if (result.changed.length > 0 || result.duplicates > 0 || result.received > 0) {
    state.link.send({ type: 'message.ack', upTo: result.received - base });
  }
  if (result.gap && state.nackedAt !== result.received) {
    state.nackedAt = result.received;
    sendResume(ctx, state, ctx.store.syncPoints(key));
  }
}

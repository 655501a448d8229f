import type { BridgeEventName } from '@discordopus/protocol/bridge';
import { MAX_DATE_MS, type CallLogEntry } from '@discordopus/protocol/calls';
import { expect, it } from 'vitest';
import type { MessageContractContext } from './bridge-contract-messages';
import { call, codeOf, hexOf } from './bridge-contract-support';

/**
 * The call-log part of the bridge core contract (VOICE-04), run by describeBridgeCoreContract
 * against the real CoreSession and the app's FakeCore.
 */
export function describeCallLogContract(ctx: MessageContractContext): void {
  const of = (events: { event: BridgeEventName; payload: unknown }[], name: BridgeEventName) => events.filter((e) => e.event === name).map((e) => e.payload);

  it('VOICE-04: a finished call is recorded once, announced, kept across a restart; a missed one counts until seen', async () => {
    const r = await ctx.created('Alice');
    const peer = (await call(r.core, 'contacts.add', { userId: ctx.someonesUserId() })).publicKey;
    const talk: CallLogEntry = { callId: 'AQEBAQEBAQEBAQEBAQEBAQ', direction: 'outgoing', outcome: 'completed', durationMs: 252_000, startedAt: 1_000, endedAt: 260_000 };
    const missed: CallLogEntry = { callId: 'AgICAgICAgICAgICAgICAg', direction: 'incoming', outcome: 'missed', durationMs: null, startedAt: 300_000, endedAt: 330_000 };
    expect(await call(r.core, 'calls.record', { publicKey: peer, entry: talk })).toEqual({ ...talk, seen: true });
    expect(await call(r.core, 'calls.record', { publicKey: peer, entry: missed })).toEqual({ ...missed, seen: false });
    // The same call again with a worse outcome changes nothing and announces nothing.
    expect(await call(r.core, 'calls.record', { publicKey: peer, entry: { ...talk, outcome: 'failed', durationMs: null } })).toEqual({ ...talk, seen: true });
    expect(of(r.events, 'calls.logged')).toEqual([
      { publicKey: peer, entry: { ...talk, seen: true } },
      { publicKey: peer, entry: { ...missed, seen: false } },
    ]);
    expect(of(r.events, 'calls.missedChanged')).toEqual([{ publicKey: peer, count: 1 }]);
    expect(await call(r.core, 'calls.missed', {})).toEqual({ missed: [{ publicKey: peer, count: 1 }] });

    const again = await ctx.restarted(r.core);
    expect((await call(again, 'calls.log', { publicKey: peer })).entries.map((e) => [e.callId, e.outcome, e.seen])).toEqual([
      [talk.callId, 'completed', true],
      [missed.callId, 'missed', false],
    ]);
    expect(await call(again, 'calls.markSeen', { publicKey: peer })).toBeNull();
    expect(await call(again, 'calls.missed', {})).toEqual({ missed: [] });
    expect((await call(again, 'calls.log', { publicKey: peer })).entries.every((e) => e.seen)).toBe(true);
  });

  it('VOICE-04: two windows record one call: a better outcome replaces the entry and is announced (the badge goes), a worse one changes nothing', async () => {
    const r = await ctx.created('Alice');
    const peer = (await call(r.core, 'contacts.add', { userId: ctx.someonesUserId() })).publicKey;
    const missed: CallLogEntry = { callId: 'BAQEBAQEBAQEBAQEBAQEBA', direction: 'incoming', outcome: 'missed', durationMs: null, startedAt: 1_000, endedAt: 36_000 };
    const answered: CallLogEntry = { ...missed, outcome: 'completed', durationMs: 240_000, endedAt: 250_000 };
    await call(r.core, 'calls.record', { publicKey: peer, entry: missed });
    expect(await call(r.core, 'calls.record', { publicKey: peer, entry: answered })).toEqual({ ...answered, seen: true });
    expect(await call(r.core, 'calls.record', { publicKey: peer, entry: missed })).toEqual({ ...answered, seen: true });
    expect(of(r.events, 'calls.logged')).toEqual([
      { publicKey: peer, entry: { ...missed, seen: false } },
      { publicKey: peer, entry: { ...answered, seen: true } },
    ]);
    expect(of(r.events, 'calls.missedChanged')).toEqual([
      { publicKey: peer, count: 1 },
      { publicKey: peer, count: 0 },
    ]);
    expect((await call(r.core, 'calls.log', { publicKey: peer })).entries).toEqual([{ ...answered, seen: true }]);
  });

  it('VOICE-04: a removed contact\'s unseen missed calls are no longer counted (review finding 9)', async () => {
    const r = await ctx.created('Alice');
    const peer = (await call(r.core, 'contacts.add', { userId: ctx.someonesUserId() })).publicKey;
    const missed: CallLogEntry = { callId: 'BQUFBQUFBQUFBQUFBQUFBQ', direction: 'incoming', outcome: 'missed', durationMs: null, startedAt: 1_000, endedAt: 36_000 };
    await call(r.core, 'calls.record', { publicKey: peer, entry: missed });
    expect(await call(r.core, 'calls.missed', {})).toEqual({ missed: [{ publicKey: peer, count: 1 }] });
    await call(r.core, 'contacts.remove', { publicKey: peer });
    expect(await call(r.core, 'calls.missed', {})).toEqual({ missed: [] });
  });

  it('VOICE-04: the log is only for contacts, and an entry that breaks its rules is refused with a code', async () => {
    const r = await ctx.created('Alice');
    const entry: CallLogEntry = { callId: 'AwMDAwMDAwMDAwMDAwMDAw', direction: 'incoming', outcome: 'missed', durationMs: null, startedAt: 5, endedAt: 6 };
    expect(await codeOf(call(r.core, 'calls.record', { publicKey: hexOf(ctx.someonesUserId()), entry }))).toBe('CALL_NOT_CONTACT');
    expect(await codeOf(call(r.core, 'calls.log', { publicKey: hexOf(ctx.someonesUserId()) }))).toBe('CALL_NOT_CONTACT');
    const peer = (await call(r.core, 'contacts.add', { userId: ctx.someonesUserId() })).publicKey;
    expect(await codeOf(call(r.core, 'calls.record', { publicKey: peer, entry: { ...entry, direction: 'outgoing' } }))).toBe('BRIDGE_BAD_PARAMS');
    expect(await codeOf(call(r.core, 'calls.record', { publicKey: peer, entry: { ...entry, durationMs: 5 } }))).toBe('BRIDGE_BAD_PARAMS');
    expect(await codeOf(call(r.core, 'calls.record', { publicKey: peer, entry: { ...entry, endedAt: 4 } }))).toBe('BRIDGE_BAD_PARAMS');
    expect(await codeOf(call(r.core, 'calls.record', { publicKey: peer, entry: { ...entry, callId: 'short' } }))).toBe('BRIDGE_BAD_PARAMS');
    // Times past JavaScript's Date range are refused by the schema; a start far in the future by the core (review finding 7).
    expect(await codeOf(call(r.core, 'calls.record', { publicKey: peer, entry: { ...entry, startedAt: MAX_DATE_MS + 1, endedAt: MAX_DATE_MS + 1 } }))).toBe('BRIDGE_BAD_PARAMS');
    expect(await codeOf(call(r.core, 'calls.record', { publicKey: peer, entry: { ...entry, startedAt: MAX_DATE_MS, endedAt: MAX_DATE_MS } }))).toBe('CALL_LOG_FUTURE');
    expect(await call(r.core, 'calls.log', { publicKey: peer })).toEqual({ entries: [] });
    expect(of(r.events, 'calls.logged')).toEqual([]);
  });
}

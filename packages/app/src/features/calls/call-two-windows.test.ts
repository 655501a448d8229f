import { encodeUserId } from '@discordopus/protocol';
import { describe, expect, it } from 'vitest';
import { BridgeClient } from '../../bridge/bridge-client';
import { FAKE_OWN_KEY, FakeCore, fakeContact } from '../../test-support/fake-core';
import { inMemoryConnector } from '../../test-support/in-memory-connector';
import { flushBridge } from '../../test-support/render-app';
import { waitFor } from '@testing-library/react';
import { CallController } from './call-controller';

/**
 * Two windows of one profile (review finding 2, VOICE-01, VOICE-04): every window rings for an
 * invite; once one answers, the others stop ringing and record nothing, and a better outcome
 * recorded for the same call replaces a worse one (completed > declined > … > missed).
 */
const FP = `sha-256 ${Array.from({ length: 32 }, (_, i) => (i + 16).toString(16).toUpperCase()).join(':')}`;
const SDP = `v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\nm=audio 9 UDP/TLS/RTP/SAVPF 111\r\na=fingerprint:${FP}\r\na=rtpmap:111 opus/48000/2\r\n`;
const CALL_ID = 'AAAAAAAAAAAAAAAAAAAAAA';
const bob = fakeContact(2, { displayName: 'Bob', onlineStatus: 'online' });
const unlocked = { session: 'unlocked' as const, passphrase: 'correct horse battery', identity: { userId: encodeUserId(FAKE_OWN_KEY), displayName: 'Alice' }, contacts: [bob] };

function windowOn(core: FakeCore) {
  const bridge = new BridgeClient({ connect: inMemoryConnector(core) });
  const controller = new CallController({ bridge, engine: { getUserMedia: () => new Promise(() => {}), randomBytes: (n) => new Uint8Array(n).fill(1) } });
  const incoming: string[] = [];
  controller.on('incoming', ({ callId }) => incoming.push(callId));
  bridge.start();
  return { bridge, controller, incoming };
}

async function twoRingingWindows() {
  const core = new FakeCore({ state: unlocked });
  const a = windowOn(core);
  const b = windowOn(core);
  await flushBridge();
  core.callWire.receive({ publicKey: bob.publicKey, frame: { type: 'call.invite', callId: CALL_ID, fingerprint: FP, sdp: SDP } });
  await waitFor(() => expect([a.controller.engine.state.phase, b.controller.engine.state.phase]).toEqual(['ringing', 'ringing']));
  return { core, a, b };
}

const logOf = async (core: FakeCore) => (await core.callWire.handlers['calls.log']({ publicKey: bob.publicKey })).entries;

describe('two windows of one profile (VOICE-01, VOICE-04, review finding 2)', () => {
  it('VOICE-01: declining in one window stops the other ringing; the log holds one "declined" entry and no missed call', async () => {
    const { core, a, b } = await twoRingingWindows();
    a.controller.engine.decline();
    await waitFor(() => expect(b.controller.engine.state).toMatchObject({ phase: 'ended', reason: 'answered-elsewhere' }));
    await waitFor(async () => expect((await logOf(core)).map((e) => [e.outcome, e.seen])).toEqual([['declined', true]]));
    await flushBridge();
    expect((await logOf(core)).map((e) => e.outcome)).toEqual(['declined']);
    expect((await core.callWire.handlers['calls.missed']({})).missed).toEqual([]);
  });

  it('VOICE-01: an accept sent by one window stops the other ringing', async () => {
    const { a, b } = await twoRingingWindows();
    await a.bridge.call('calls.send', { publicKey: bob.publicKey, frame: { type: 'call.accept', callId: CALL_ID, fingerprint: FP, sdp: SDP } });
    await waitFor(() => expect(b.controller.engine.state).toMatchObject({ phase: 'ended', reason: 'answered-elsewhere' }));
  });

  it('VOICE-04: a window\'s "completed" replaces another window\'s "missed" for the same call (and the badge goes), never the other way round', async () => {
    const core = new FakeCore({ state: unlocked });
    const a = windowOn(core);
    const b = windowOn(core);
    await flushBridge();
    expect(b.controller.log.entries(bob.publicKey)).toBeNull();
    await waitFor(() => expect(b.controller.log.entries(bob.publicKey)).toEqual([]));
    b.controller.log.missed(bob.publicKey);
    const base = { callId: CALL_ID, direction: 'incoming' as const, startedAt: 1_000 };
    await b.controller.log.record(bob.publicKey, { ...base, outcome: 'missed', durationMs: null, endedAt: 36_000 });
    await waitFor(() => expect(b.controller.log.missed(bob.publicKey)).toBe(1));
    await a.controller.log.record(bob.publicKey, { ...base, outcome: 'completed', durationMs: 240_000, endedAt: 250_000 });
    await waitFor(() => expect(b.controller.log.missed(bob.publicKey)).toBe(0));
    expect(b.controller.log.entries(bob.publicKey)?.map((e) => [e.outcome, e.durationMs, e.seen])).toEqual([['completed', 240_000, true]]);
    // A worse outcome arriving later changes nothing.
    await b.controller.log.record(bob.publicKey, { ...base, outcome: 'failed', durationMs: null, endedAt: 250_000 });
    expect((await logOf(core)).map((e) => e.outcome)).toEqual(['completed']);
  });
});

import { encodeUserId } from '@discordopus/protocol';
import { waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { BridgeClient } from '../../bridge/bridge-client';
import { FAKE_OWN_KEY, FakeCore, fakeContact } from '../../test-support/fake-core';
import { inMemoryConnector } from '../../test-support/in-memory-connector';
import { flushBridge } from '../../test-support/render-app';
import { createAppStore } from '../../store/app-store';
import type { NotificationApi } from '../../lib/desktop-notifier';
import { CallController } from './call-controller';
import { notifyIncomingCalls } from './call-notifier';

/**
 * Whose call it is (review finding 11, VOICE-02): an invite becomes the current call only once the
 * engine has taken it; a malformed invite from another contact leaves the last call's contact.
 */
const fp = (seed: number) => `sha-256 ${Array.from({ length: 32 }, (_, i) => (i + seed).toString(16).toUpperCase().padStart(2, '0')).join(':')}`;
const sdp = (f: string) => `v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\nm=audio 9 UDP/TLS/RTP/SAVPF 111\r\na=fingerprint:${f}\r\na=rtpmap:111 opus/48000/2\r\n`;
const bob = fakeContact(2, { displayName: 'Bob', onlineStatus: 'online' });
const carol = fakeContact(3, { displayName: 'Carol', onlineStatus: 'online' });
const unlocked = { session: 'unlocked' as const, passphrase: 'correct horse battery', identity: { userId: encodeUserId(FAKE_OWN_KEY), displayName: 'Alice' }, contacts: [bob, carol] };

describe('the call\'s contact (VOICE-02, review finding 11)', () => {
  it('VOICE-02: a malformed invite from another contact after a call does not take over the call\'s contact; a valid one does', async () => {
    const core = new FakeCore({ state: unlocked });
    const bridge = new BridgeClient({ connect: inMemoryConnector(core) });
    const controller = new CallController({ bridge, engine: { getUserMedia: () => new Promise(() => {}), randomBytes: (n) => new Uint8Array(n).fill(1) } });
    bridge.start();
    await flushBridge();
    core.callWire.receive({ publicKey: bob.publicKey, frame: { type: 'call.invite', callId: 'AAAAAAAAAAAAAAAAAAAAAA', fingerprint: fp(16), sdp: sdp(fp(16)) } });
    await waitFor(() => expect(controller.engine.state.phase).toBe('ringing'));
    controller.engine.decline();
    expect(controller.peer).toBe(bob.publicKey);

    // Carol's invite whose fingerprint is not the one in its SDP is refused: Bob stays the call's contact.
    core.callWire.receive({ publicKey: carol.publicKey, frame: { type: 'call.invite', callId: 'BBBBBBBBBBBBBBBBBBBBBA', fingerprint: fp(16), sdp: sdp(fp(48)) } });
    await waitFor(() => expect(controller.engine.refusals().malformed).toBe(1));
    expect(controller.peer).toBe(bob.publicKey);
    expect(controller.engine.state.phase).toBe('ended');

    core.callWire.receive({ publicKey: carol.publicKey, frame: { type: 'call.invite', callId: 'CCCCCCCCCCCCCCCCCCCCCA', fingerprint: fp(48), sdp: sdp(fp(48)) } });
    await waitFor(() => expect(controller.engine.state.phase).toBe('ringing'));
    expect(controller.peer).toBe(carol.publicKey);
  });

  it('VOICE-04: a new invite from the contact already in the call is refused busy and logged missed too; busy refusals notify once per contact (review finding 10)', async () => {
    const core = new FakeCore({ state: unlocked });
    const bridge = new BridgeClient({ connect: inMemoryConnector(core) });
    const controller = new CallController({ bridge, engine: { getUserMedia: () => new Promise(() => {}), randomBytes: (n) => new Uint8Array(n).fill(1) } });
    const store = createAppStore();
    store.getState().setContacts([bob, carol]);
    const tags: string[] = [];
    const api: NotificationApi = { permission: 'granted', requestPermission: async () => 'granted', show: (_title, options) => tags.push(options.tag) };
    notifyIncomingCalls({ controller, store, api, attended: () => false, focusWindow: () => {} });
    bridge.start();
    await flushBridge();
    const invite = (callId: string, f = fp(16)) => ({ type: 'call.invite' as const, callId, fingerprint: f, sdp: sdp(f) });
    core.callWire.receive({ publicKey: bob.publicKey, frame: invite('AAAAAAAAAAAAAAAAAAAAAA') });
    await waitFor(() => expect(controller.engine.state.phase).toBe('ringing'));

    core.callWire.receive({ publicKey: bob.publicKey, frame: invite('DDDDDDDDDDDDDDDDDDDDDA') });
    core.callWire.receive({ publicKey: carol.publicKey, frame: invite('EEEEEEEEEEEEEEEEEEEEEA', fp(48)) });
    core.callWire.receive({ publicKey: carol.publicKey, frame: invite('FFFFFFFFFFFFFFFFFFFFFA', fp(48)) });
    await waitFor(async () => expect((await core.callWire.handlers['calls.log']({ publicKey: bob.publicKey })).entries.map((e) => [e.callId, e.outcome])).toEqual([['DDDDDDDDDDDDDDDDDDDDDA', 'missed']]));
    expect(core.callWire.sent.filter((s) => s.frame.type === 'call.decline').map((s) => [s.publicKey, s.frame.callId])).toEqual([
      [bob.publicKey, 'DDDDDDDDDDDDDDDDDDDDDA'],
      [carol.publicKey, 'EEEEEEEEEEEEEEEEEEEEEA'],
      [carol.publicKey, 'FFFFFFFFFFFFFFFFFFFFFA'],
    ]);
    // Bob's first call rings on.
    expect(controller.engine.state).toMatchObject({ phase: 'ringing', callId: 'AAAAAAAAAAAAAAAAAAAAAA' });
    expect(tags).toEqual(['call:AAAAAAAAAAAAAAAAAAAAAA', `busy:${bob.publicKey}`, `busy:${carol.publicKey}`, `busy:${carol.publicKey}`]);
  });
});

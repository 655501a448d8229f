import { encodeUserId } from '@discordopus/protocol';
import { act, render, screen, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { BridgeClient } from '../../bridge/bridge-client';
import { FAKE_OWN_KEY, FakeCore, fakeContact } from '../../test-support/fake-core';
import { inMemoryConnector } from '../../test-support/in-memory-connector';
import { flushBridge } from '../../test-support/render-app';
import { CallController } from './call-controller';
import { CallNotice } from './call-notice';

/**
 * The profile locks during a call (review finding 4) and a call's entry cannot be recorded
 * (finding 5): the window hangs up at once (the call's connection lives here, with no controls
 * on the unlock screen), the entry is kept and recorded at the next unlock (one retry), and the
 * user is told by a notice with the code instead of nothing.
 */
const FP = `sha-256 ${Array.from({ length: 32 }, (_, i) => (i + 16).toString(16).toUpperCase()).join(':')}`;
const SDP = `v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\nm=audio 9 UDP/TLS/RTP/SAVPF 111\r\na=fingerprint:${FP}\r\na=rtpmap:111 opus/48000/2\r\n`;
const CALL_ID = 'AAAAAAAAAAAAAAAAAAAAAA';
const PASSPHRASE = 'correct horse battery';
const bob = fakeContact(2, { displayName: 'Bob', onlineStatus: 'online' });
const unlocked = { session: 'unlocked' as const, passphrase: PASSPHRASE, identity: { userId: encodeUserId(FAKE_OWN_KEY), displayName: 'Alice' }, contacts: [bob] };

async function ringingWindow() {
  const core = new FakeCore({ state: unlocked });
  const bridge = new BridgeClient({ connect: inMemoryConnector(core) });
  const controller = new CallController({ bridge, engine: { getUserMedia: () => new Promise(() => {}), randomBytes: (n) => new Uint8Array(n).fill(1) } });
  const failures: { code: string; retrying: boolean }[] = [];
  controller.on('logFailed', ({ code, retrying }) => failures.push({ code, retrying }));
  bridge.start();
  render(<CallNotice controller={controller} />);
  await flushBridge();
  core.callWire.receive({ publicKey: bob.publicKey, frame: { type: 'call.invite', callId: CALL_ID, fingerprint: FP, sdp: SDP } });
  await waitFor(() => expect(controller.engine.state.phase).toBe('ringing'));
  const lock = () => {
    core.state.session = 'locked';
    core.emit('session.changed', { state: 'locked', profileName: core.state.profileName });
  };
  const log = async () => (await core.callWire.handlers['calls.log']({ publicKey: bob.publicKey })).entries;
  return { core, bridge, controller, failures, lock, log };
}

describe('a lock during a call, and an entry that cannot be recorded (VOICE-01, VOICE-04, review findings 4 and 5)', () => {
  it('VOICE-04: locking hangs the call up at once; its entry is recorded when the profile is unlocked again, and the user is told meanwhile', async () => {
    const h = await ringingWindow();
    act(() => h.lock());
    await waitFor(() => expect(h.controller.engine.state).toMatchObject({ phase: 'ended', reason: 'declined' }));
    await waitFor(() => expect(h.failures).toEqual([{ code: 'VAULT_CLOSED', retrying: true }]));
    expect((await screen.findByTestId('call-notice')).textContent).toContain('This call could not be saved in the call log yet (VAULT_CLOSED): it is saved when the profile is next unlocked.');

    await h.bridge.call('profile.unlock', { passphrase: PASSPHRASE });
    await waitFor(async () => expect((await h.log()).map((e) => [e.callId, e.direction, e.outcome])).toEqual([[CALL_ID, 'incoming', 'declined']]));
    expect(h.failures).toHaveLength(1);
  });

  it('VOICE-04: the retry happens once: an entry that fails again is given up with a notice that says why', async () => {
    const h = await ringingWindow();
    act(() => h.lock());
    await waitFor(() => expect(h.failures).toHaveLength(1));
    h.core.state.contacts = [];
    await h.bridge.call('profile.unlock', { passphrase: PASSPHRASE });
    await waitFor(() => expect(h.failures).toEqual([
      { code: 'VAULT_CLOSED', retrying: true },
      { code: 'CALL_NOT_CONTACT', retrying: false },
    ]));
    await waitFor(() => expect(screen.getByTestId('call-notice').textContent).toContain('This call could not be saved in the call log (CALL_NOT_CONTACT): Calls go only to contacts.'));
    act(() => h.lock());
    await h.bridge.call('profile.unlock', { passphrase: PASSPHRASE });
    await flushBridge();
    expect(h.failures).toHaveLength(2);
  });

  it('VOICE-02: a call frame the core refuses is shown as a notice with its code', async () => {
    const h = await ringingWindow();
    h.core.state.contacts = [];
    act(() => h.controller.engine.decline());
    await waitFor(() => expect(screen.getByTestId('call-notice').textContent).toContain('A call message could not be sent (CALL_NOT_CONTACT): Calls go only to contacts.'));
    act(() => screen.getByTestId('call-notice-dismiss').click());
    expect(screen.queryByTestId('call-notice')).toBeNull();
  });
});

import { encodeUserId } from '@discordopus/protocol';
import { act, render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { App } from '../../app';
import { createAppActions } from '../../bridge/app-actions';
import { BridgeClient } from '../../bridge/bridge-client';
import { syncBridgeToStore } from '../../bridge/bridge-sync';
import type { NotificationApi } from '../../lib/desktop-notifier';
import { AppProvider } from '../../store/app-context';
import { createAppStore } from '../../store/app-store';
import { FAKE_OWN_KEY, FakeCore, fakeContact } from '../../test-support/fake-core';
import { inMemoryConnector } from '../../test-support/in-memory-connector';
import { flushBridge } from '../../test-support/render-app';
import { CallController, hangUpWhenWindowCloses } from './call-controller';
import { CallsProvider } from './call-layer';
import { notifyIncomingCalls } from './call-notifier';
import type { Ringer } from './ring-tone';

/**
 * The app's call wiring in jsdom (VOICE-01, VOICE-02): the whole app on the fake core through the
 * real BridgeClient, with the real CallEngine behind a CallController. Everything before a WebRTC
 * connection exists runs here; the connected call runs in Chromium (desktop e2e).
 */
const FP = `sha-256 ${Array.from({ length: 32 }, (_, i) => (i + 16).toString(16).toUpperCase()).join(':')}`;
const SDP = `v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\nm=audio 9 UDP/TLS/RTP/SAVPF 111\r\na=fingerprint:${FP}\r\na=rtpmap:111 opus/48000/2\r\n`;
const CALL_ID = 'AAAAAAAAAAAAAAAAAAAAAA';
const OTHER_CALL_ID = 'BBBBBBBBBBBBBBBBBBBBBA';

const bob = fakeContact(2, { displayName: 'Bob', onlineStatus: 'online' });
const carol = fakeContact(3, { displayName: 'Carol', onlineStatus: 'online' });
const unlocked = { session: 'unlocked' as const, passphrase: 'correct horse battery', identity: { userId: encodeUserId(FAKE_OWN_KEY), displayName: 'Alice' }, contacts: [bob, carol] };

const silentRinger: Ringer = { playing: null, start() {}, stop() {} };

function setup(focused = true, getUserMedia: () => Promise<MediaStream> = () => new Promise(() => {})) {
  const window = { attended: focused };
  const attended = () => window.attended;
  const core = new FakeCore({ state: unlocked });
  const bridge = new BridgeClient({ connect: inMemoryConnector(core) });
  const store = createAppStore();
  const actions = createAppActions(bridge, store);
  syncBridgeToStore(bridge, store);
  const controller = new CallController({ bridge, engine: { getUserMedia, randomBytes: (n) => new Uint8Array(n).fill(1) } });
  const notifications: { title: string; tag: string; click(): void }[] = [];
  const api: NotificationApi = {
    permission: 'granted',
    requestPermission: async () => 'granted',
    show: (title, options, onClick) => notifications.push({ title, tag: options.tag, click: onClick }),
  };
  notifyIncomingCalls({ controller, store, api, attended, focusWindow: () => {} });
  bridge.start();
  render(
    <AppProvider store={store} actions={actions}>
      <CallsProvider controller={controller} ringer={silentRinger} now={() => 0} attended={attended}>
        <App />
      </CallsProvider>
    </AppProvider>,
  );
  return { core, controller, store, notifications, window, user: userEvent.setup() };
}

/** The call log the fake core's vault holds for a contact. */
async function logOf(core: FakeCore, publicKey: string) {
  return (await core.callWire.handlers['calls.log']({ publicKey })).entries;
}

const rowOf = (publicKey: string) => screen.getAllByTestId('contact-row').find((row) => row.getAttribute('data-public-key') === publicKey) as HTMLElement;

const invite = (callId = CALL_ID) => ({ type: 'call.invite' as const, callId, fingerprint: FP, sdp: SDP });

describe('call wiring in the app (VOICE-01, VOICE-02, issue #14)', () => {
  it('VOICE-02: a contact\'s invite from the core rings the window (ringing goes back to that contact); Decline sends the decline and leaves "Call declined"', async () => {
    const h = setup();
    await screen.findByTestId('main-screen');
    await flushBridge();
    act(() => h.core.callWire.receive({ publicKey: bob.publicKey, frame: invite() }));
    expect(await screen.findByText('Bob is calling')).toBeTruthy();
    await flushBridge();
    expect(h.core.callWire.sent).toEqual([{ publicKey: bob.publicKey, frame: { type: 'call.ringing', callId: CALL_ID } }]);
    expect(h.notifications).toEqual([]); // the window is focused: no desktop notification

    // Carol calls meanwhile: she alone is told "busy"; Bob's call rings on.
    act(() => h.core.callWire.receive({ publicKey: carol.publicKey, frame: invite(OTHER_CALL_ID) }));
    await flushBridge();
    expect(h.core.callWire.sent.at(-1)).toEqual({ publicKey: carol.publicKey, frame: { type: 'call.decline', callId: OTHER_CALL_ID, reason: 'busy' } });
    expect(h.controller.peer).toBe(bob.publicKey);
    // A stray frame from Carol never reaches the engine.
    act(() => h.core.callWire.receive({ publicKey: carol.publicKey, frame: { type: 'call.cancel', callId: CALL_ID, reason: 'cancelled' } }));
    await flushBridge();
    expect(h.controller.engine.state.phase).toBe('ringing');
    expect(h.controller.strayFrames).toBe(1);

    expect(h.controller.iceRefreshes).toBe(1); // the links' ICE configuration, asked when the invite rang
    await h.user.click(screen.getByTestId('decline-call'));
    await flushBridge();
    expect(h.core.callWire.sent.at(-1)).toEqual({ publicKey: bob.publicKey, frame: { type: 'call.decline', callId: CALL_ID, reason: 'declined' } });
    await waitFor(() => expect(screen.queryByTestId('incoming-call')).toBeNull());
    // VOICE-04: each call is in the vault's log: Bob's declined, Carol's (refused busy) missed, with its badge.
    await waitFor(async () => expect((await logOf(h.core, bob.publicKey)).map((e) => [e.callId, e.direction, e.outcome, e.seen])).toEqual([[CALL_ID, 'incoming', 'declined', true]]));
    expect((await logOf(h.core, carol.publicKey)).map((e) => [e.callId, e.outcome, e.seen])).toEqual([[OTHER_CALL_ID, 'missed', false]]);
    await waitFor(() => expect(within(rowOf(carol.publicKey)).getByTestId('missed-call-badge').getAttribute('aria-label')).toBe('1 missed call'));
    expect(within(rowOf(bob.publicKey)).queryByTestId('missed-call-badge')).toBeNull();
    // Bob's conversation shows the call in its timeline.
    act(() => h.store.getState().selectContact(bob.publicKey));
    await waitFor(() => expect(screen.getByTestId('call-entry').textContent).toBe('Call declined'));
    expect(screen.getByTestId('call-log-row').getAttribute('aria-label')).toBe('Call declined from Bob');
  });

  it('VOICE-01, VOICE-04: an invite while the window is not focused shows a desktop notification; the caller cancelling notifies "Missed call", leaves it in the timeline and a badge until the window is looked at', async () => {
    const h = setup(false);
    await screen.findByTestId('main-screen');
    await flushBridge();
    act(() => h.core.callWire.receive({ publicKey: bob.publicKey, frame: invite() }));
    await screen.findByText('Bob is calling');
    expect(h.notifications.map((n) => [n.title, n.tag])).toEqual([['Bob is calling', `call:${CALL_ID}`]]);
    act(() => h.notifications[0]?.click());
    act(() => h.core.callWire.receive({ publicKey: bob.publicKey, frame: { type: 'call.cancel', callId: CALL_ID, reason: 'cancelled' } }));
    await waitFor(() => expect(screen.queryByTestId('incoming-call')).toBeNull());
    // The missed call replaces the ringing notification (same tag).
    expect(h.notifications.map((n) => [n.title, n.tag])).toEqual([
      ['Bob is calling', `call:${CALL_ID}`],
      ['Missed call from Bob', `call:${CALL_ID}`],
    ]);
    // The click opened Bob's conversation: the call is in its timeline, stored in the vault.
    await waitFor(() => expect(screen.getByTestId('call-entry').textContent).toBe('Missed call'));
    expect(screen.getByTestId('call-entry').getAttribute('data-outcome')).toBe('missed');
    // Nobody has looked yet (the window is not focused): the badge stays and the entry is unseen.
    await waitFor(() => expect(within(rowOf(bob.publicKey)).getByTestId('missed-call-badge').textContent).toBe('1'));
    expect((await logOf(h.core, bob.publicKey)).map((e) => e.seen)).toEqual([false]);
    // The user comes back to the window with Bob's conversation open: seen.
    h.window.attended = true;
    act(() => void window.dispatchEvent(new Event('focus')));
    await waitFor(() => expect(within(rowOf(bob.publicKey)).queryByTestId('missed-call-badge')).toBeNull());
    expect((await logOf(h.core, bob.publicKey)).map((e) => e.seen)).toEqual([true]);
    // "Call back" on the missed call calls Bob (the microphone never opens here), and is disabled meanwhile.
    await h.user.click(screen.getByTestId('call-back'));
    await waitFor(() => expect(h.controller.engine.state.phase).toBe('outgoing'));
    expect(h.controller.peer).toBe(bob.publicKey);
    expect((screen.getByTestId('call-back') as HTMLButtonElement).disabled).toBe(true);
  });

  it('VOICE-04: the caller records its own entry: hanging up before an answer is "Outgoing call — cancelled" in the timeline at the time it started', async () => {
    const h = setup();
    await screen.findByTestId('main-screen');
    await flushBridge();
    act(() => h.store.getState().selectContact(bob.publicKey));
    await h.user.click(await screen.findByTestId('call-button'));
    await waitFor(() => expect(h.controller.engine.state.phase).toBe('outgoing'));
    await h.user.click(screen.getByTestId('hangup'));
    await waitFor(() => expect(screen.getByTestId('call-entry').textContent).toBe('Outgoing call — cancelled'));
    const [entry] = await logOf(h.core, bob.publicKey);
    expect(entry).toMatchObject({ direction: 'outgoing', outcome: 'cancelled', durationMs: null, seen: true });
    expect(entry?.endedAt).toBeGreaterThanOrEqual(entry?.startedAt ?? Infinity);
    expect(screen.getByTestId('call-log-row').getAttribute('aria-label')).toBe('Outgoing call — cancelled to Bob');
  });

  it('VOICE-04: the window closing hangs up on the way out, so the peer is told at once', async () => {
    const h = setup();
    const off = hangUpWhenWindowCloses(h.controller, window);
    await screen.findByTestId('main-screen');
    await flushBridge();
    act(() => h.core.callWire.receive({ publicKey: bob.publicKey, frame: invite() }));
    await screen.findByText('Bob is calling');
    act(() => void window.dispatchEvent(new Event('pagehide')));
    await flushBridge();
    expect(h.core.callWire.sent.at(-1)).toEqual({ publicKey: bob.publicKey, frame: { type: 'call.decline', callId: CALL_ID, reason: 'declined' } });
    expect(h.controller.engine.state.phase).toBe('ended');
    off();
  });

  it('VOICE-02: the header\'s call button calls the selected contact; a frame the core refuses ends the call with its code', async () => {
    const h = setup(true, () => Promise.reject(new DOMException('no microphone here', 'NotFoundError')));
    const failures: string[] = [];
    h.controller.on('sendFailed', ({ code }) => failures.push(code));
    await screen.findByTestId('main-screen');
    await flushBridge();
    act(() => h.store.getState().selectContact(bob.publicKey));
    const button = await screen.findByTestId('call-button');
    expect(button.getAttribute('aria-label')).toBe('Call Bob');
    await h.user.click(button);
    await waitFor(() => expect(h.controller.engine.state.phase).toBe('ended'));
    // The microphone failed before the invite: Bob was never told, and the call is Bob's.
    expect(h.controller.peer).toBe(bob.publicKey);
    expect(h.core.callWire.sent).toEqual([]);

    // Carol was removed (the core refuses frames to non-contacts): her invite rings, the ringing is refused, the call ends.
    h.core.state.contacts = h.core.state.contacts.filter((c) => c.publicKey !== carol.publicKey);
    act(() => h.core.callWire.receive({ publicKey: carol.publicKey, frame: invite(OTHER_CALL_ID) }));
    await flushBridge();
    // The ringing is refused, then the decline the hang-up sends: both with the core's code.
    await waitFor(() => expect(failures).toEqual(['CALL_NOT_CONTACT', 'CALL_NOT_CONTACT']));
    expect(h.controller.engine.state).toMatchObject({ phase: 'ended', reason: 'link-lost' });
  });
});

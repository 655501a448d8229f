import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CallWindows, endedSaying, hears, hearsNow, inCall, silent } from './calls-rig';

/**
 * Voice calls in the whole app (issue #14, VOICE-01, VOICE-02): two profiles, each in its own
 * headless Chromium whose fake microphone plays its own tone (Alice 440 Hz, Bob 660 Hz), each a
 * CoreSession behind its bridge as the launcher builds them. The call's frames go app → bridge →
 * core → direct link → core → bridge → app; the server's relay counters must not move during
 * a call. The test finds the call's RTCPeerConnection through an init script (no app hook).
 */
let w: CallWindows;

beforeAll(async () => {
  w = await CallWindows.start();
}, 180_000);

// A case that failed midway leaves no call up for the next one.
afterEach(async () => {
  await w?.hangUpAll();
});

afterAll(async () => {
  await w?.close();
});

describe('end to end: voice calls between two app windows (VOICE-01, VOICE-02)', { timeout: 60_000 }, () => {
  it('VOICE-01, VOICE-02: Alice calls, Bob\'s window rings, he accepts and hears her 440 Hz tone (she his 660 Hz); the server relays nothing until Alice hangs up', async () => {
    const { alice, bob } = w;
    await w.aliceCallsBob();
    const before = await w.relayCounters();
    expect(before).toContain('signal.relay'); // the direct link's own set-up went through the server
    await bob.getByTestId('accept-call').click();
    await inCall(bob);
    await inCall(alice);
    await hears(bob, 440);
    await hears(alice, 660);
    // The check tells the tones apart: Bob does not hear his own 660 Hz.
    expect(await hearsNow(bob, 660)).toBe(false);
    await alice.getByTestId('hangup').click();
    await endedSaying(bob, /^The other side hung up\./);
    await endedSaying(alice, /^Call ended\./);
    expect(await w.relayCounters()).toBe(before);
    await expect.poll(() => alice.getByTestId('call-entry').last().textContent()).toMatch(/^Call · \d+ s$|^Call · \d+ min \d+ s$/);
    await expect.poll(() => bob.getByTestId('call-entry').last().textContent()).toMatch(/^Call · /);
  });

  it('VOICE-01: Alice mutes → Bob hears silence; she unmutes → her tone again; then Bob hangs up and Alice\'s call ends saying so', async () => {
    const { alice, bob } = w;
    await w.aliceCallsBob();
    await bob.getByTestId('accept-call').click();
    await inCall(alice);
    await hears(bob, 440);
    await alice.getByTestId('call-bar').getByTestId('mute-toggle').click();
    expect(await alice.getByTestId('call-bar').getByTestId('mute-toggle').getAttribute('aria-pressed')).toBe('true');
    await silent(bob);
    await hears(alice, 660); // only her side went quiet
    await alice.getByTestId('call-bar').getByTestId('mute-toggle').click();
    await hears(bob, 440);
    await bob.getByTestId('hangup').click();
    await endedSaying(alice, /^The other side hung up\. \(\d+:\d{2}\)$/);
    await endedSaying(bob, /^Call ended\. /);
  });

  it('VOICE-01: Bob declines; Alice\'s call ends as declined and both windows list it', async () => {
    const { alice, bob } = w;
    await w.aliceCallsBob();
    await bob.getByTestId('decline-call').click();
    await endedSaying(alice, /^The call was declined\.$/);
    await expect.poll(() => alice.getByTestId('call-entry').last().textContent()).toBe('Call declined');
    await expect.poll(() => bob.getByTestId('call-entry').last().textContent()).toBe('Call declined');
  });

  it('VOICE-01: no answer — Alice\'s ring timeout (30 s, run on a fake clock in her window) ends her call "No answer." and Bob\'s "Missed call."', async () => {
    const { alice, bob } = w;
    // Playwright's fake clock in Alice's window only; time keeps flowing until fastForward jumps it.
    await alice.clock.install();
    await w.aliceCallsBob();
    await alice.clock.fastForward(31_000);
    await endedSaying(alice, /^No answer\.$/);
    await endedSaying(bob, /^Missed call\.$/);
    await bob.getByTestId('incoming-call').waitFor({ state: 'detached' });
    await expect.poll(() => alice.getByTestId('call-entry').last().textContent()).toBe('No answer');
    await expect.poll(() => bob.getByTestId('call-entry').last().textContent()).toBe('Missed call');
  });

  it('no window logged a console error or threw', () => {
    expect(w.rig.problems()).toEqual([]);
  });
});

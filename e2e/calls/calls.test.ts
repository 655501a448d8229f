import { waitFor } from '@discordopus/test-support';
import { startCoturn } from '@discordopus/test-support/coturn';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { FrameLink, randomSecret, startCallRig, turnCredentials, type CallPage, type CallRig, type HarnessInit, type PageWindow, type Snapshot } from './call-browsers';

declare const window: PageWindow;

/**
 * VOICE-01..04 in real headless Chromium: two browser processes (caller's microphone a 440 Hz
 * tone, callee's 660 Hz), CallEngine pages passing frames through the test (a stand-in for the
 * contacts' link). One browser pair for the whole file; fresh pages per case. Waits are on
 * conditions with generous bounds; nothing asserts how long a step took.
 */

const LOOPBACK: HarnessInit = { iceServers: [], relayOnly: false };
const WAIT = { timeout: 30_000, polling: 100 } as const;

let rig: CallRig;
let link: FrameLink;

beforeAll(async () => {
  rig = await startCallRig({ a: 440, b: 660 });
}, 60_000);
afterAll(async () => {
  await rig?.close();
});
beforeEach(() => {
  link = new FrameLink();
});
afterEach(async () => {
  await link.closeAll();
});

async function pairUp(initA: HarnessInit = LOOPBACK, initB: HarnessInit = initA): Promise<{ a: CallPage; b: CallPage }> {
  const a = await link.open(rig, rig.browsers.a, 'a', initA);
  const b = await link.open(rig, rig.browsers.b, 'b', initB);
  link.pair('a', 'b');
  return { a, b };
}

function snap(p: CallPage): Promise<Snapshot> {
  return p.page.evaluate(() => window.callHarness.snapshot());
}

/** Waits until the page's call is in `phase` (`ended:<reason>` for an end). */
async function waitPhase(p: CallPage, phase: string): Promise<void> {
  await p.page.waitForFunction(
    (want) => {
      const s = window.callHarness.snapshot();
      return (s.phase === 'ended' ? `ended:${s.reason}` : s.phase) === want;
    },
    phase,
    WAIT,
  ).catch(async (error: unknown) => {
    throw new Error(`${p.name} never reached ${phase}: ${JSON.stringify((await snap(p).catch(() => null))?.phases)} (${String(error)})`);
  });
}

/** Waits until the page hears a tone near `hz` (dominant frequency) above silence. */
async function waitHears(p: CallPage, hz: number): Promise<void> {
  await p.page.waitForFunction(
    (want) => {
      const h = window.callHarness.hearing();
      return h.rms > 0.01 && Math.abs(h.dominantHz - want) < 20;
    },
    hz,
    WAIT,
  );
}

async function waitSilence(p: CallPage): Promise<void> {
  await p.page.waitForFunction(() => window.callHarness.hearing().rms < 0.002, undefined, WAIT);
}

async function connect(a: CallPage, b: CallPage): Promise<void> {
  await a.page.evaluate(() => window.callHarness.call());
  await waitPhase(b, 'ringing');
  await waitPhase(a, 'ringing');
  await b.page.evaluate(() => window.callHarness.accept());
  await waitPhase(a, 'in-call');
  await waitPhase(b, 'in-call');
}

const OPUS_FMTP = /a=fmtp:(\d+) [^\r\n]*useinbandfec=1[^\r\n]*/;

describe('voice calls in Chromium (VOICE-01..04)', { timeout: 120_000 }, () => {
  it('VOICE-01, VOICE-03: call, ring, accept; each side hears the other\'s tone over Opus 48 kHz with FEC and DTX; mute silences, unmute restores; quality reads direct', async () => {
    const { a, b } = await pairUp();
    await connect(a, b);
    await waitHears(b, 440);
    await waitHears(a, 660);

    // The negotiated SDP on both sides: opus/48000/2 with in-band FEC and DTX.
    for (const p of [a, b]) {
      const s = await snap(p);
      for (const sdp of [s.localSdp ?? '', s.remoteSdp ?? '']) {
        const fmtp = OPUS_FMTP.exec(sdp);
        expect(fmtp, `${p.name}: Opus fmtp`).not.toBeNull();
        expect(sdp).toContain(`a=rtpmap:${fmtp?.[1]} opus/48000/2`);
        expect(fmtp?.[0]).toContain('usedtx=1');
      }
    }

    // VOICE-03: a quality sample with codec, RTT and the route; speaking indicators from levels.
    await b.page.waitForFunction(() => {
      const q = window.callHarness.snapshot().quality;
      return q !== null && q.rttMs !== null && q.inboundBitrate !== null && q.inboundBitrate > 0 && q.jitterMs !== null && q.loss !== null;
    }, undefined, WAIT);
    const quality = (await snap(b)).quality;
    expect(quality?.codec).toMatch(/^audio\/opus 48000 .*useinbandfec=1/);
    expect(quality?.route).toBe('direct');
    await b.page.waitForFunction(() => window.callHarness.snapshot().levels?.remoteSpeaking === true, undefined, WAIT);
    await a.page.waitForFunction(() => window.callHarness.snapshot().levels?.localSpeaking === true, undefined, WAIT);

    // Mute → silence at the other side; unmute → the tone again. The muted side is not "speaking".
    await a.page.evaluate(() => window.callHarness.engine?.setMuted(true));
    await waitSilence(b);
    await a.page.waitForFunction(() => window.callHarness.snapshot().levels?.localSpeaking === false, undefined, WAIT);
    await a.page.evaluate(() => window.callHarness.engine?.setMuted(false));
    await waitHears(b, 440);

    // Deafen: the caller stops hearing and stops sending.
    await a.page.evaluate(() => window.callHarness.engine?.setDeafened(true));
    await waitSilence(b);
    expect(await a.page.locator('audio').evaluate((el) => (el as unknown as { muted: boolean }).muted)).toBe(true);
    await a.page.evaluate(() => window.callHarness.engine?.setDeafened(false));
    await waitHears(b, 440);

    // Speaker choice: the remote audio element's output device (setSinkId) follows the setting.
    expect(await a.page.evaluate(() => window.callHarness.engine?.setOutputDevice('default'))).toBe(true);
    expect(await a.page.locator('audio').evaluate((el) => (el as unknown as { sinkId: string }).sinkId)).toBe('default');

    // Hang up from the caller's side.
    await a.page.evaluate(() => window.callHarness.engine?.hangup());
    await waitPhase(a, 'ended:hangup');
    await waitPhase(b, 'ended:remote-hangup');
    for (const p of [a, b]) {
      expect({ page: p.name, ...(await snap(p)).refusals }).toEqual({ page: p.name, oversized: 0, malformed: 0, 'unknown-type': 0, unexpected: 0 });
      expect(p.problems).toEqual([]);
    }
  });

  it('VOICE-01, VOICE-03: the call UI as a person uses it: call button, ringback, ring dialog Accept, timer, speaking dots, Mute button silences the other side, quality panel, Hang up', async () => {
    // Bob's hang-up closes his connection at once: Alice's DTLS transport reads 'closed' about when
    // the call.hangup frame arrives through this test's stand-in link, and from then on only her
    // grace period stands between "The other side hung up" and "connection lost". The stand-in
    // link (page → Playwright → this process → page) is not the product's link, so its latency
    // under load must not race the product's 5 s default: a grace of 60 s here (ICE itself fails
    // the connection ~20 s after a remote close), so only the frame can end Alice's call in time.
    const { a, b } = await pairUp({ ...LOOPBACK, reconnectGraceMs: 60_000 });
    await a.page.evaluate(() => window.callUi.mount('Bob'));
    await b.page.evaluate(() => window.callUi.mount('Alice'));
    await a.page.getByTestId('call-button').click();
    await b.page.getByTestId('incoming-call').getByText('Alice is calling').waitFor();
    expect(await b.page.evaluate(() => window.callUi.ringing())).toBe('ring');
    await a.page.getByTestId('call-status').getByText('Ringing Bob…').waitFor();
    expect(await a.page.evaluate(() => window.callUi.ringing())).toBe('ringback');
    await b.page.getByTestId('accept-call').click();
    await a.page.locator('[data-testid="call-bar"][data-phase="in-call"]').waitFor({ timeout: 30_000 });
    await b.page.locator('[data-testid="call-bar"][data-phase="in-call"]').waitFor({ timeout: 30_000 });
    expect(await a.page.evaluate(() => window.callUi.ringing())).toBeNull();
    expect(await b.page.evaluate(() => window.callUi.ringing())).toBeNull();
    await b.page.getByTestId('call-status').getByText(/^\d+:\d\d$/).waitFor();
    await b.page.locator('[data-testid="speaking-remote"][data-speaking="true"]').waitFor({ timeout: 30_000 });
    await b.page.getByTestId('quality-route').getByText('Direct').waitFor({ timeout: 30_000 });
    await b.page.getByTestId('quality-codec').getByText('audio/opus 48000').waitFor({ timeout: 30_000 });
    await waitHears(b, 440);

    await a.page.getByTestId('mute-toggle').click();
    expect(await a.page.getByTestId('mute-toggle').getAttribute('aria-pressed')).toBe('true');
    await waitSilence(b);
    await a.page.getByTestId('mute-toggle').click();
    await waitHears(b, 440);

    const hungUpAt = Date.now();
    await b.page.getByTestId('hangup').click();
    await a.page.getByTestId('call-status').getByText(/^The other side hung up\. \(\d+:\d\d\)$/).waitFor({ timeout: 30_000 }).catch(async (error: unknown) => {
      const frames = link.sent.filter((f) => f.at >= hungUpAt - 1_000).map((f) => `${f.from}:${f.type}+${f.at - hungUpAt}→${f.deliveredAt === null ? 'undelivered' : f.deliveredAt - hungUpAt}`);
      const s = await snap(a);
      const sb = await snap(b);
      const bobBody = String(await b.page.evaluate('`pointer-events:${document.body.style.pointerEvents} dialogs:${document.querySelectorAll("[role=dialog]").length}`'));
      throw new Error(`Alice: ${await a.page.getByTestId('call-status').textContent()} phases ${s.phases.join(',')} connection ${s.connectionStates.join(',')} refusals ${JSON.stringify(s.refusals)}; Bob: ${await b.page.getByTestId('call-status').textContent()} phases ${sb.phases.join(',')} body ${bobBody}; frames ${frames.join(' ')} (${String(error)})`);
    });
    await b.page.getByTestId('call-status').getByText(/^Call ended\./).waitFor();
    for (const p of [a, b]) expect(p.problems).toEqual([]);
  });

  it('VOICE-04: a hang-up frame slower than the grace (a slow link) first reads as "peer-lost", then corrects it to "remote-hangup" when it arrives, refusing nothing', async () => {
    const { a, b } = await pairUp({ ...LOOPBACK, reconnectGraceMs: 3_000 });
    await connect(a, b);
    link.hold.add('call.hangup');
    await b.page.evaluate(() => window.callHarness.engine?.hangup());
    await waitPhase(b, 'ended:hangup');
    // Bob's closed connection (DTLS close_notify) and Alice's grace end her call without the frame.
    await waitPhase(a, 'ended:peer-lost');
    link.release();
    await waitPhase(a, 'ended:remote-hangup');
    expect((await snap(a)).refusals).toEqual({ oversized: 0, malformed: 0, 'unknown-type': 0, unexpected: 0 });
  });

  it('VOICE-01, VOICE-02: the callee hangs up; malformed and unexpected frames are refused and counted without disturbing the call', async () => {
    const { a, b } = await pairUp();
    await connect(a, b);
    await link.deliverRaw(a, '{nope');
    await link.deliverRaw(a, JSON.stringify({ type: 'call.transfer', callId: 'x' }));
    await link.deliverRaw(a, JSON.stringify({ type: 'call.ringing', callId: 'AAAAAAAAAAAAAAAAAAAAAA' }));
    await link.deliverRaw(a, JSON.stringify({ type: 'call.hangup', callId: 'AAAAAAAAAAAAAAAAAAAAAA', reason: 'hangup' }));
    expect((await snap(a)).refusals).toEqual({ oversized: 0, malformed: 1, 'unknown-type': 1, unexpected: 2 });
    expect((await snap(a)).phase).toBe('in-call');
    await b.page.evaluate(() => window.callHarness.engine?.hangup());
    await waitPhase(b, 'ended:hangup');
    await waitPhase(a, 'ended:remote-hangup');
  });

  it('VOICE-01: decline ends both sides "declined"; a second caller gets "busy" while the callee is in a call', async () => {
    const { a, b } = await pairUp();
    await a.page.evaluate(() => window.callHarness.call());
    await waitPhase(b, 'ringing');
    await b.page.evaluate(() => window.callHarness.engine?.decline());
    await waitPhase(a, 'ended:declined');
    await waitPhase(b, 'ended:declined');

    await connect(a, b);
    const c = await link.open(rig, rig.browsers.a, 'c', LOOPBACK);
    link.pair('c', 'b');
    await c.page.evaluate(() => window.callHarness.call());
    await waitPhase(c, 'ended:busy');
    expect((await snap(b)).phase).toBe('in-call');
    expect((await snap(a)).phase).toBe('in-call');
  });

  it('VOICE-02: the callee polls getStats from the accept on (Chromium then caches certificate stats without the remote one); the fingerprint check still passes from the DTLS transport', async () => {
    const { a, b } = await pairUp();
    await a.page.evaluate(() => window.callHarness.call());
    await waitPhase(b, 'ringing');
    expect(await b.page.evaluate(() => window.callHarness.acceptAndTimeFirstPacket())).toBeGreaterThan(0);
    await waitPhase(b, 'in-call');
    await waitPhase(a, 'in-call');
    await waitHears(b, 440);
  });

  it('VOICE-01: no answer: the caller gives up after its (injected, short) ring timeout and the callee sees a missed call', async () => {
    const { a, b } = await pairUp({ ...LOOPBACK, ringTimeoutMs: 1_000 }, LOOPBACK);
    await a.page.evaluate(() => window.callHarness.call());
    await waitPhase(b, 'ringing');
    await waitPhase(a, 'ended:no-answer');
    await waitPhase(b, 'ended:missed');
    expect(link.sent.filter((f) => f.from === 'a').map((f) => f.type)).toContain('call.cancel');
  });

  it('VOICE-02: a fingerprint in call.accept that is not the answer\'s ends the call with "security" on both sides', async () => {
    const { a, b } = await pairUp();
    link.tamper = (_from, frame) => (frame.type === 'call.accept' ? { ...frame, fingerprint: `sha-256 ${Array(32).fill('AB').join(':')}` } : frame);
    await a.page.evaluate(() => window.callHarness.call());
    await waitPhase(b, 'ringing');
    await b.page.evaluate(() => window.callHarness.accept());
    await waitPhase(a, 'ended:security');
    await waitPhase(b, 'ended:security');
  });

  it('VOICE-02: a forged certificate fingerprint (frame and SDP rewritten alike) fails DTLS and ends the call with "security"', async () => {
    const { a, b } = await pairUp();
    const forged = Array(32).fill('CD').join(':');
    link.tamper = (_from, frame) =>
      frame.type === 'call.accept'
        ? { ...frame, fingerprint: `sha-256 ${forged}`, sdp: String(frame.sdp).replace(/a=fingerprint:sha-256 [0-9A-F:]+/gi, `a=fingerprint:sha-256 ${forged}`) }
        : frame;
    await a.page.evaluate(() => window.callHarness.call());
    await waitPhase(b, 'ringing');
    await b.page.evaluate(() => window.callHarness.accept());
    await waitPhase(a, 'ended:security');
    await waitPhase(b, 'ended:security');
  });

  it('VOICE-04: the callee\'s window closes mid-call → the caller ends with "peer-lost"', async () => {
    const { a, b } = await pairUp({ ...LOOPBACK, reconnectGraceMs: 3_000 });
    await connect(a, b);
    await waitHears(a, 660);
    await b.page.context().close();
    await waitPhase(a, 'ended:peer-lost');
  });

  it('VOICE-04: the caller\'s renderer crashes mid-call → the callee ends with "peer-lost"', async () => {
    const { a, b } = await pairUp({ ...LOOPBACK, reconnectGraceMs: 3_000 });
    await connect(a, b);
    await waitHears(b, 440);
    const cdp = await a.page.context().newCDPSession(a.page);
    // The renderer dies without closing anything (as under kill -9); the command never answers.
    void cdp.send('Page.crash').catch(() => {});
    await waitPhase(b, 'ended:peer-lost');
  });

  it('VOICE-03, P2P-03: relay-only through a real coturn on loopback reports "relayed" and carries the tone', async () => {
    const secret = randomSecret();
    const turn = await startCoturn(secret);
    try {
      const { username, credential } = turnCredentials(secret);
      const init: HarnessInit = { iceServers: [{ urls: `turn:127.0.0.1:${turn.port}?transport=udp`, username, credential }], relayOnly: true };
      const { a, b } = await pairUp(init);
      await connect(a, b);
      await waitHears(b, 440);
      for (const p of [a, b]) {
        await p.page.waitForFunction(() => window.callHarness.snapshot().quality?.route === 'relayed', undefined, WAIT);
      }
      await a.page.evaluate(() => window.callHarness.engine?.hangup());
      await waitPhase(b, 'ended:remote-hangup');
    } finally {
      await link.closeAll();
      await turn.stop();
    }
  });

  it('VOICE-04: the relay dies mid-call; the caller\'s ICE restart through a new relay keeps the call up without hanging up', { timeout: 420_000 }, async () => {
    const secret = randomSecret();
    const first = await startCoturn(secret);
    const second = await startCoturn(secret);
    try {
      const { username, credential } = turnCredentials(secret);
      const server = (port: number) => [{ urls: `turn:127.0.0.1:${port}?transport=udp`, username, credential }];
      const init: HarnessInit = { iceServers: server(first.port), relayOnly: true, reconnectGraceMs: 60_000 };
      const { a, b } = await pairUp(init);
      await connect(a, b);
      await waitHears(b, 440);
      // Fresh relay configured on both sides (as with renewed TURN credentials), then the old one dies.
      for (const p of [a, b]) await p.page.evaluate((s) => window.callHarness.setIceServers(s), server(second.port));
      await first.stop();
      // Consent freshness notices the dead relay after seconds (longer on 2 busy cores: a condition,
      // waited for long). The caller must notice: it alone restarts ICE. The callee may never
      // show 'disconnected': when the caller's restart lands before the callee's own consent check
      // fails, its connection moves to the new relay without leaving 'connected' (CI, load ~4).
      const SLOW = { timeout: 150_000, polling: 200 } as const;
      await a.page.waitForFunction(() => window.callHarness.snapshot().connectionStates.includes('disconnected'), undefined, SLOW);
      await waitFor(() => link.sent.filter((f) => f.type === 'call.restart').length >= 2, 'the ICE restart offer and its answer', SLOW.timeout);
      await b.page.waitForFunction(() => window.callHarness.snapshot().connectionStates.at(-1) === 'connected', undefined, SLOW);
      await waitHears(b, 440);
      await waitHears(a, 660);
      expect(link.sent.filter((f) => f.type === 'call.restart').map((f) => f.from)).toEqual(['a', 'b']);
      for (const p of [a, b]) expect((await snap(p)).phase).toBe('in-call');
      await a.page.evaluate(() => window.callHarness.engine?.hangup());
      await waitPhase(b, 'ended:remote-hangup');
    } finally {
      await link.closeAll();
      await Promise.allSettled([first.stop(), second.stop()]);
    }
  });
});

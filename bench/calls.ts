/**
 * `npm run bench:calls` — voice calls (VOICE-01): time from the callee's accept to the first
 * audio packet at the callee, over 20 calls per path, in two headless Chromium processes on
 * loopback (Alice's fake microphone 440 Hz, Bob's 660 Hz), paths interleaved call by call:
 *   - the real app: two app windows, each a CoreSession behind its bridge as the launcher builds
 *     them, frames app → bridge → core → direct link (node-datachannel) → core → bridge → app;
 *     Bob's window clicks Accept and times the first inbound audio RTP packet (getStats) and the
 *     first audible level (AnalyserNode RMS above silence) of the call's RTCPeerConnection;
 *   - the CallEngine alone: harness pages in the same two browsers, frames carried by this
 *     process (the stand-in link of e2e/calls);
 *   - the baseline: the same two browsers, a bare RTCPeerConnection pair exchanging
 *     offer/answer/candidates through a plain local WebSocket (its callee, too, opens the
 *     microphone at accept);
 *   - the mouth-to-ear estimate from getStats in the app's call (jitter buffer delay + RTT/2 +
 *     playout delay) against ITU-T G.114's 150 ms.
 * Goal: median < 150 ms, p99 < 500 ms.
 */
import type { AddressInfo } from 'node:net';
import type { Page } from 'playwright-core';
import { WebSocketServer, type WebSocket } from 'ws';
import { FrameLink, startCallRig, type PageWindow } from '../e2e/calls/call-browsers';
import { CallWindows, endedSaying, inCall } from '../packages/desktop/test/e2e/calls-rig';
import { appendResults, envInt, ms, percentiles, runBenchmark } from './lib/report';

declare const window: PageWindow;

const CALLS = envInt('BENCH_CALLS', 20);
const WARMUP = 2;

/** The baseline's signaling: a bare WebSocket relay on 127.0.0.1 that forwards to every other socket. */
async function startRelay(): Promise<{ url: string; close(): Promise<void> }> {
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0, maxPayload: 256 * 1024 });
  await new Promise((resolve) => wss.once('listening', resolve));
  wss.on('connection', (ws: WebSocket) => {
    ws.on('message', (data) => {
      for (const other of wss.clients) if (other !== ws && other.readyState === other.OPEN) other.send(data.toString());
    });
  });
  return { url: `ws://127.0.0.1:${(wss.address() as AddressInfo).port}`, close: () => new Promise((r) => wss.close(() => r(undefined))) };
}

type MouthToEar = { jitterBufferMs: number; halfRttMs: number; playoutMs: number };
/** What the evaluated functions use of Bob's window (no DOM types in this Node program). */
type StatsReport = { forEach(cb: (s: Record<string, unknown>) => void): void };
type AppWindow = {
  __pcs: { getStats(): Promise<StatsReport> }[];
  __hearing(): { rms: number; hz: number };
  document: { querySelector(selector: string): { click(): void } | null };
};

/**
 * In Bob's app window: click Accept, then poll the new call connection every 2 ms until its
 * first inbound audio packet and its first audible level. Milliseconds from the click.
 */
function appAcceptAndTime(page: Page): Promise<{ firstPacketMs: number; audibleMs: number }> {
  return page.evaluate(async () => {
    const w = globalThis as unknown as AppWindow;
    const before = w.__pcs.length;
    const accept = w.document.querySelector('[data-testid="accept-call"]');
    if (accept === null) throw new Error('no Accept button');
    const t0 = performance.now();
    accept.click();
    let firstPacketMs = -1;
    let audibleMs = -1;
    while (firstPacketMs < 0 || audibleMs < 0) {
      if (performance.now() - t0 > 20_000) throw new Error('no audio within 20 s of accept');
      const pc = w.__pcs.length > before ? w.__pcs.at(-1) : undefined;
      if (pc !== undefined) {
        if (firstPacketMs < 0) {
          let packets = 0;
          (await pc.getStats()).forEach((s) => {
            if (s.type === 'inbound-rtp' && s.kind === 'audio') packets = Number(s.packetsReceived ?? 0);
          });
          if (packets > 0) firstPacketMs = performance.now() - t0;
        }
        if (audibleMs < 0 && w.__hearing().rms > 0.01) audibleMs = performance.now() - t0;
      }
      await new Promise((r) => setTimeout(r, 2));
    }
    return { firstPacketMs, audibleMs };
  });
}

/** Bob's app window: the mouth-to-ear estimate of the current call from getStats. */
function appMouthToEar(page: Page): Promise<MouthToEar> {
  return page.evaluate(async () => {
    const pc = (globalThis as unknown as AppWindow).__pcs.at(-1);
    const out = { jitterBufferMs: 0, halfRttMs: 0, playoutMs: 0 };
    if (pc === undefined) return out;
    (await pc.getStats()).forEach((s) => {
      if (s.type === 'inbound-rtp' && s.kind === 'audio' && Number(s.jitterBufferEmittedCount) > 0) out.jitterBufferMs = (Number(s.jitterBufferDelay) / Number(s.jitterBufferEmittedCount)) * 1000;
      if (s.type === 'candidate-pair' && s.nominated === true && typeof s.currentRoundTripTime === 'number') out.halfRttMs = (s.currentRoundTripTime * 1000) / 2;
      if (s.type === 'media-playout' && Number(s.totalSamplesCount) > 0) out.playoutMs = (Number(s.totalPlayoutDelay) / Number(s.totalSamplesCount)) * 1000;
    });
    return out;
  });
}

async function main(): Promise<void> {
  const app = await CallWindows.start();
  const { alice: browserA, bob: browserB } = app.toneBrowsers;
  if (browserA === null || browserB === null) throw new Error('the app windows have no browsers');
  const rig = await startCallRig({ a: 440, b: 660 }, { a: browserA, b: browserB });
  const relay = await startRelay();
  const link = new FrameLink();
  const init = { iceServers: [], relayOnly: false };
  const a = await link.open(rig, rig.browsers.a, 'a', init);
  const b = await link.open(rig, rig.browsers.b, 'b', init);
  link.pair('a', 'b');
  const real: number[] = [];
  const audible: number[] = [];
  const engine: number[] = [];
  const bare: number[] = [];
  const mouth: number[] = [];
  const parts = { jitterBufferMs: [] as number[], halfRttMs: [] as number[], playoutMs: [] as number[] };
  const failures = { real: 0, engine: 0 };
  const relayBefore = await app.relayCounters();
  try {
    for (let i = 0; i < CALLS + WARMUP; i += 1) {
      const counted = i >= WARMUP;
      // 1. The real app: Alice's call button, Bob's Accept in his window.
      try {
        await app.aliceCallsBob();
        const t = await appAcceptAndTime(app.bob);
        await inCall(app.alice);
        const m = await appMouthToEar(app.bob);
        if (counted) {
          real.push(t.firstPacketMs);
          audible.push(t.audibleMs);
          mouth.push(m.jitterBufferMs + m.halfRttMs + m.playoutMs);
          parts.jitterBufferMs.push(m.jitterBufferMs);
          parts.halfRttMs.push(m.halfRttMs);
          parts.playoutMs.push(m.playoutMs);
        }
      } catch (error) {
        failures.real += 1;
        console.error(`app call ${i} failed:`, String(error).split('\n')[0]);
      }
      await app.hangUpAll();
      await endedSaying(app.bob, /./);

      // 2. The CallEngine over the stand-in link.
      for (const p of [a, b]) await p.page.evaluate((o) => window.callHarness.init(o), init);
      await a.page.evaluate(() => window.callHarness.call());
      await b.page.waitForFunction(() => window.callHarness.snapshot().phase === 'ringing', undefined, { timeout: 20_000, polling: 5 });
      try {
        const elapsed = await b.page.evaluate(() => window.callHarness.acceptAndTimeFirstPacket());
        if (counted) engine.push(elapsed);
        await b.page.waitForFunction(() => window.callHarness.snapshot().phase === 'in-call', undefined, { timeout: 20_000 });
      } catch (error) {
        failures.engine += 1;
        console.error(`engine call ${i} failed:`, String(error).split('\n')[0]);
      }
      await a.page.evaluate(() => window.callHarness.engine?.hangup());
      await b.page.waitForFunction(() => window.callHarness.snapshot().phase === 'ended', undefined, { timeout: 20_000 });

      // 3. The baseline: bare pages over a bare WebSocket.
      for (const p of [a, b]) await p.page.evaluate((url) => window.bareCall.open(url), relay.url);
      await a.page.evaluate(() => window.bareCall.call());
      await b.page.waitForFunction(() => window.bareCall.ringing, undefined, { timeout: 20_000, polling: 5 });
      const elapsed = await b.page.evaluate(() => window.bareCall.acceptAndTimeFirstPacket());
      if (counted) bare.push(elapsed);
      for (const p of [a, b]) await p.page.evaluate(() => window.bareCall.close());
      console.log(`call ${i + 1}/${CALLS + WARMUP}: app ${ms(real.at(-1) ?? NaN)} (audible ${ms(audible.at(-1) ?? NaN)}), engine ${ms(engine.at(-1) ?? NaN)}, bare ${ms(elapsed)}`);
    }
  } finally {
    await link.closeAll();
    await relay.close();
    await rig.close();
  }
  const relayMoved = (await app.relayCounters()) !== relayBefore;
  await app.close();
  const r = percentiles(real);
  const au = percentiles(audible);
  const e = percentiles(engine);
  const base = percentiles(bare);
  const avg = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / Math.max(1, xs.length);
  const mte = percentiles(mouth);
  const row = (name: string, p: typeof r, failed: number) => `| ${name} | ${p.count} | ${failed} | ${ms(p.p50)} | ${ms(p.p99)} | ${ms(p.max)} | ${(p.p50 / base.p50).toFixed(2)}× |`;
  appendResults('Voice calls (`npm run bench:calls`)', [
    `${CALLS} calls per path after ${WARMUP} warm-up calls, the three paths interleaved call by call, in the same two headless Chromium processes (fake microphones: 440 Hz and 660 Hz WAV), ICE on 127.0.0.1 only, no STUN/TURN. "Accept → first packet" is measured in the callee's page from the accept (a click on the app's Accept button; for the harness paths the accept call) to the first inbound audio RTP packet in getStats (polled every 2 ms): microphone opened (at accept on every path), offer applied, answer made and sent back, ICE and DTLS up, first packet in. The app path's frames go window → bridge → core → direct link (node-datachannel) → core → bridge → window.`,
    '',
    '| path | calls | failures | median | p99 | max | median vs baseline |',
    '|---|---|---|---|---|---|---|',
    row('baseline: bare RTCPeerConnection pair, SDP over a bare local WebSocket', base, 0),
    row('CallEngine in harness pages, frames over the stand-in link (this process)', e, failures.engine),
    row('**the app**: two windows, bridge, core, direct link', r, failures.real),
    row('the app: first audible level at the callee (AnalyserNode RMS > 0.01)', au, failures.real),
    '',
    `Mouth-to-ear estimate in the app's calls (callee's getStats once the call is up, ${mte.count} calls): median ${ms(mte.p50)}, max ${ms(mte.max)} — average jitter buffer ${ms(avg(parts.jitterBufferMs))} + RTT/2 ${ms(avg(parts.halfRttMs))} + playout ${ms(avg(parts.playoutMs))}; capture and the sender's encoder are not in getStats. ITU-T G.114: < 150 ms one way: ${mte.p50 < 150 ? 'met' : 'missed'} at the median.`,
    '',
    `The signaling server's relay counters (signal.send/relay/error) ${relayMoved ? 'MOVED' : 'did not move'} over the ${CALLS + WARMUP} app calls (VOICE-02).`,
    '',
    `Against the goals for the app (median < 150 ms, p99 < 500 ms): median ${r.p50 < 150 ? 'met' : 'missed'}, p99 ${r.p99 < 500 ? 'met' : 'missed'}.`,
  ]);
}

runBenchmark(main);

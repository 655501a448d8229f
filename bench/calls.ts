/**
 * `npm run bench:calls` — voice calls (VOICE-01): time from the callee's accept to the first
 * audio packet at the callee, over 20 calls, in two headless Chromium processes on loopback:
 *   - the CallEngine path: frames carried between the pages by this process (the stand-in for
 *     the contacts' link, as in e2e/calls), Opus munging, candidate batching, fingerprint checks;
 *   - the baseline in the same run, interleaved call by call: the same two pages with a bare
 *     RTCPeerConnection pair exchanging offer/answer/candidates through a plain local WebSocket;
 *   - the mouth-to-ear estimate from getStats at the end of each engine call (jitter buffer +
 *     RTT/2 + playout) against ITU-T G.114's 150 ms.
 * Goal: median < 150 ms, p99 < 500 ms.
 */
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { FrameLink, startCallRig, type PageWindow } from '../e2e/calls/call-browsers';
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

async function main(): Promise<void> {
  const rig = await startCallRig({ a: 440, b: 660 });
  const relay = await startRelay();
  const link = new FrameLink();
  const init = { iceServers: [], relayOnly: false };
  const a = await link.open(rig, rig.browsers.a, 'a', init);
  const b = await link.open(rig, rig.browsers.b, 'b', init);
  link.pair('a', 'b');
  const engine: number[] = [];
  const bare: number[] = [];
  const mouth: number[] = [];
  const parts = { jitterBufferMs: [] as number[], halfRttMs: [] as number[], playoutMs: [] as number[] };
  let failures = 0;
  try {
    for (let i = 0; i < CALLS + WARMUP; i += 1) {
      const counted = i >= WARMUP;
      // The CallEngine over the stand-in link.
      for (const p of [a, b]) await p.page.evaluate((o) => window.callHarness.init(o), init);
      await a.page.evaluate(() => window.callHarness.call());
      await b.page.waitForFunction(() => window.callHarness.snapshot().phase === 'ringing', undefined, { timeout: 20_000, polling: 5 });
      try {
        const elapsed = await b.page.evaluate(() => window.callHarness.acceptAndTimeFirstPacket());
        if (counted) engine.push(elapsed);
        await b.page.waitForFunction(() => window.callHarness.snapshot().phase === 'in-call', undefined, { timeout: 20_000 });
        // Let the jitter buffer settle for a moment before reading it.
        await b.page.waitForFunction(() => (window.callHarness.snapshot().quality?.inboundBitrate ?? 0) > 0, undefined, { timeout: 20_000 });
        const m = await b.page.evaluate(() => window.callHarness.mouthToEar());
        if (counted && m !== null) {
          mouth.push(m.jitterBufferMs + m.halfRttMs + m.playoutMs);
          parts.jitterBufferMs.push(m.jitterBufferMs);
          parts.halfRttMs.push(m.halfRttMs);
          parts.playoutMs.push(m.playoutMs);
        }
      } catch (error) {
        failures += 1;
        const phases = await Promise.all([a, b].map((p) => p.page.evaluate(() => window.callHarness.snapshot().phases.join(' → '))));
        console.error(`engine call ${i} failed (caller: ${phases[0]}; callee: ${phases[1]}):`, String(error).split('\n')[0]);
      }
      await a.page.evaluate(() => window.callHarness.engine?.hangup());
      await b.page.waitForFunction(() => window.callHarness.snapshot().phase === 'ended', undefined, { timeout: 20_000 });

      // The baseline: bare pages over a bare WebSocket.
      for (const p of [a, b]) await p.page.evaluate((url) => window.bareCall.open(url), relay.url);
      await a.page.evaluate(() => window.bareCall.call());
      await b.page.waitForFunction(() => window.bareCall.ringing, undefined, { timeout: 20_000, polling: 5 });
      const elapsed = await b.page.evaluate(() => window.bareCall.acceptAndTimeFirstPacket());
      if (counted) bare.push(elapsed);
      for (const p of [a, b]) await p.page.evaluate(() => window.bareCall.close());
      console.log(`call ${i + 1}/${CALLS + WARMUP}: engine ${ms(engine.at(-1) ?? NaN)}, bare ${ms(elapsed)}`);
    }
  } finally {
    await link.closeAll();
    await relay.close();
    await rig.close();
  }
  const e = percentiles(engine);
  const base = percentiles(bare);
  const avg = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / Math.max(1, xs.length);
  const mte = percentiles(mouth);
  appendResults('Voice calls (`npm run bench:calls`)', [
    `${CALLS} calls per path after ${WARMUP} warm-up calls, interleaved (engine call, then baseline call); two headless Chromium processes (fake microphones: 440 Hz and 660 Hz WAV), ICE on 127.0.0.1 only, no STUN/TURN. "Accept → first packet" is measured in the callee's page: from the accept (microphone opened, offer applied, answer made and sent) to the first inbound audio RTP packet in getStats (polled every 2 ms).`,
    '',
    '| path | calls | failures | median | p99 | max | median vs baseline |',
    '|---|---|---|---|---|---|---|',
    `| baseline: bare RTCPeerConnection pair, SDP over a bare local WebSocket | ${base.count} | 0 | ${ms(base.p50)} | ${ms(base.p99)} | ${ms(base.max)} | 1.0× |`,
    `| CallEngine, frames over the stand-in link (test process) | ${e.count} | ${failures} | ${ms(e.p50)} | ${ms(e.p99)} | ${ms(e.max)} | ${(e.p50 / base.p50).toFixed(2)}× |`,
    '',
    `Mouth-to-ear estimate at the callee (getStats, ${mte.count} calls, a moment after the first packet): median ${ms(mte.p50)}, max ${ms(mte.max)} — average jitter buffer ${ms(avg(parts.jitterBufferMs))} + RTT/2 ${ms(avg(parts.halfRttMs))} + playout ${ms(avg(parts.playoutMs))}; capture and the sender's encoder are not in getStats. ITU-T G.114: < 150 ms one way.`,
    '',
    `Against the goals (median < 150 ms, p99 < 500 ms): median ${e.p50 < 150 ? 'met' : 'missed'}, p99 ${e.p99 < 500 ? 'met' : 'missed'}.`,
  ]);
}

runBenchmark(main);

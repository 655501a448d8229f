/**
 * `npx tsx bench/calls-timeline.ts` — where the time between Bob's Accept and his first audio
 * packet goes in the real app (a diagnostic beside bench:calls, VOICE-01; prints, records
 * nothing). Both app windows get an init script that timestamps every bridge WebSocket message
 * carrying a call frame (out: the window sends it to its core; in: the core hands it to the
 * window) on one clock shared by the two browser processes (performance.timeOrigin + now).
 * Per call, relative to Bob's click on Accept:
 *   answer made  = Bob's window sends call.accept (microphone opened, offer applied, answer set);
 *   link one way = Alice's window receives it (bridge → core → direct link → core → bridge);
 *   first packet = Bob's getStats counts the first inbound audio packet (ICE, DTLS, first RTP).
 */
import type { Page } from 'playwright-core';
import { CallWindows, endedSaying, inCall } from '../packages/desktop/test/e2e/calls-rig';
import { envInt, ms, percentiles } from './lib/report';

const CALLS = envInt('BENCH_CALLS', 10);

const TAP = `(() => {
  const now = () => performance.timeOrigin + performance.now();
  const note = (dir, data) => {
    if (typeof data !== 'string' || !data.includes('call.')) return;
    const m = /"type":"(call\\.[a-z]+)"/.exec(data);
    window.__tap.push([dir, m ? m[1] : '?', now()]);
  };
  window.__tap = [];
  const send = WebSocket.prototype.send;
  WebSocket.prototype.send = function (data) { note('out', data); return send.call(this, data); };
  const desc = Object.getOwnPropertyDescriptor(WebSocket.prototype, 'onmessage');
  Object.defineProperty(WebSocket.prototype, 'onmessage', { configurable: true, get() { return desc.get.call(this); }, set(fn) { desc.set.call(this, (e) => { note('in', e.data); return fn.call(this, e); }); } });
  const add = WebSocket.prototype.addEventListener;
  WebSocket.prototype.addEventListener = function (type, fn, o) {
    return add.call(this, type, type === 'message' ? (e) => { note('in', e.data); fn.call(this, e); } : fn, o);
  };
})();`;

type Tap = [string, string, number][];
type BobWindow = {
  __pcs: { getStats(): Promise<{ forEach(cb: (s: Record<string, unknown>) => void): void }> }[];
  document: { querySelector(s: string): { click(): void } | null };
};

const takeTap = (p: Page) => p.evaluate(() => (globalThis as unknown as { __tap: Tap }).__tap.splice(0));

/** Bob clicks Accept; answers [click time, first inbound audio packet time] on the shared clock. */
function acceptAndFirstPacket(bob: Page): Promise<[number, number]> {
  return bob.evaluate(async () => {
    // No named functions in here: tsx would wrap them in a helper the page does not have.
    const g = globalThis as unknown as BobWindow;
    const before = g.__pcs.length;
    const t0 = performance.timeOrigin + performance.now();
    g.document.querySelector('[data-testid="accept-call"]')?.click();
    for (;;) {
      const pc = g.__pcs.length > before ? g.__pcs.at(-1) : undefined;
      if (pc !== undefined) {
        let packets = 0;
        (await pc.getStats()).forEach((s) => {
          if (s.type === 'inbound-rtp' && s.kind === 'audio') packets = Number(s.packetsReceived ?? 0);
        });
        if (packets > 0) return [t0, performance.timeOrigin + performance.now()];
      }
      if (performance.timeOrigin + performance.now() - t0 > 20_000) throw new Error('no audio within 20 s');
      await new Promise((r) => setTimeout(r, 2));
    }
  });
}

async function main(): Promise<void> {
  const w = await CallWindows.start({ initScripts: [TAP] });
  const parts = { answer: [] as number[], link: [] as number[], media: [] as number[], total: [] as number[] };
  try {
    for (let i = 0; i < CALLS; i += 1) {
      await takeTap(w.alice);
      await takeTap(w.bob);
      await w.aliceCallsBob();
      const [t0, first] = await acceptAndFirstPacket(w.bob);
      await inCall(w.alice);
      const sentAt = (await takeTap(w.bob)).find(([dir, type]) => dir === 'out' && type === 'call.accept')?.[2];
      const gotAt = (await takeTap(w.alice)).find(([dir, type]) => dir === 'in' && type === 'call.accept')?.[2];
      if (sentAt === undefined || gotAt === undefined) throw new Error('call.accept not seen on both bridges');
      parts.answer.push(sentAt - t0);
      parts.link.push(gotAt - sentAt);
      parts.media.push(first - gotAt);
      parts.total.push(first - t0);
      console.log(`call ${i + 1}: answer made ${ms(sentAt - t0)}, link one way ${ms(gotAt - sentAt)}, then first packet ${ms(first - gotAt)} = ${ms(first - t0)}`);
      await w.hangUpAll();
      await endedSaying(w.bob, /./);
    }
  } finally {
    await w.close();
  }
  for (const [name, xs] of Object.entries(parts)) {
    const p = percentiles(xs);
    console.log(`${name}: median ${ms(p.p50)}, max ${ms(p.max)}`);
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);

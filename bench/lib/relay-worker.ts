/**
 * Load-generator process for bench:relay: `pairs` sender → receiver pairs on one server, ours
 * (signal.send → signal.relay, logged in and mutual contacts) or PeerJS server's (OFFER, which it
 * forwards as is). Payloads are 1 KiB strings that start with the send time, so the receiver in
 * the same process measures the latency on the same clock.
 */
import WebSocket from 'ws';
import { serveWorker } from './fleet';
import { KeyRing } from './keys';
import { leanLogin, nowMs } from './lean-client';

type Kind = 'ours' | 'peerjs';
interface Pair {
  sender: WebSocket;
  receiverId: string;
}

const keys = new KeyRing('discordopus-bench-relay');
const PAYLOAD_CHARS = 1024;
let kind: Kind = 'ours';
let pairs: Pair[] = [];
let latencies: number[] = [];
let onReceipt: (pair: number) => void = () => undefined;
let seq = 0;

const PADDING = 'x'.repeat(PAYLOAD_CHARS);

/** 1 KiB: the send time, a bar, then padding (built cheaply: the load generator shares the CPU). */
function payload(): string {
  const head = `${nowMs().toFixed(3)}|`;
  return head + PADDING.slice(head.length);
}

function receipt(pair: number, text: string): void {
  const at = text.indexOf('"payload":"');
  if (at < 0) return;
  const start = at + 11;
  latencies.push(nowMs() - Number(text.slice(start, text.indexOf('|', start))));
  onReceipt(pair);
}

function send(pair: Pair): void {
  const p = payload();
  // The payload is digits, '.', '|' and 'x': no JSON escaping needed.
  pair.sender.send(
    kind === 'ours'
      ? `{"type":"signal.send","id":"m${++seq}","to":"${pair.receiverId}","payload":"${p}"}`
      : `{"type":"OFFER","dst":"${pair.receiverId}","payload":"${p}"}`,
  );
}

function peerjsOpen(url: string, id: string, localAddress: string, onText: (t: string) => void): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`${url}/peerjs?key=peerjs&id=${id}&token=t${id.slice(0, 8)}`, { localAddress, perMessageDeflate: false });
    ws.on('error', reject);
    ws.on('message', (data) => {
      const text = data.toString();
      if (text.startsWith('{"type":"OPEN"')) resolve(ws);
      else onText(text);
    });
  });
}

serveWorker({
  setup: async (args: { kind: Kind; url: string; pairs: number; offset: number; sources: string[] }) => {
    kind = args.kind;
    pairs = [];
    for (let i = 0; i < args.pairs; i++) {
      const a = keys.get(args.offset + 2 * i);
      const b = keys.get(args.offset + 2 * i + 1);
      const src = args.sources[i % args.sources.length] as string;
      if (kind === 'ours') {
        const sender = await leanLogin({ url: args.url, key: a, localAddress: src, timeoutMs: 10_000 });
        const receiver = await leanLogin({ url: args.url, key: b, localAddress: src, timeoutMs: 10_000, handlers: { onMessage: (text) => text.startsWith('{"type":"signal.relay"') && receipt(i, text) } });
        const snapshot = (ws: WebSocket): Promise<void> => new Promise((resolve) => ws.once('message', () => resolve()));
        const s1 = snapshot(sender);
        sender.send(JSON.stringify({ type: 'contacts.set', contacts: [b.id] }));
        await s1;
        const s2 = snapshot(receiver);
        receiver.send(JSON.stringify({ type: 'contacts.set', contacts: [a.id] }));
        await s2;
        pairs.push({ sender, receiverId: b.id });
      } else {
        const sender = await peerjsOpen(args.url, a.id, src, () => undefined);
        await peerjsOpen(args.url, b.id, src, (text) => text.startsWith('{"type":"OFFER"') && receipt(i, text));
        pairs.push({ sender, receiverId: b.id });
      }
    }
    return pairs.length;
  },
  /** Open loop: `ratePerSecond` messages spread over the pairs for `durationMs`. */
  fixed: async (args: { ratePerSecond: number; durationMs: number }) => {
    latencies = [];
    onReceipt = () => undefined;
    const t0 = nowMs();
    let sent = 0;
    await new Promise<void>((resolve) => {
      const tick = setInterval(() => {
        const elapsed = nowMs() - t0;
        const due = Math.floor((Math.min(elapsed, args.durationMs) / 1000) * args.ratePerSecond);
        for (; sent < due; sent++) send(pairs[sent % pairs.length] as Pair);
        if (elapsed >= args.durationMs) {
          clearInterval(tick);
          resolve();
        }
      }, 2);
    });
    const end = nowMs();
    while (latencies.length < sent && nowMs() - end < 5_000) await new Promise((r) => setTimeout(r, 10));
    return { sent, latencies, elapsedMs: nowMs() - t0 };
  },
  /** Closed loop: every pair keeps `window` messages in flight for `durationMs`. */
  saturate: async (args: { window: number; durationMs: number }) => {
    latencies = [];
    const t0 = nowMs();
    let sent = 0;
    let running = true;
    onReceipt = (pair) => {
      if (!running) return;
      sent++;
      send(pairs[pair] as Pair);
    };
    for (const pair of pairs) for (let i = 0; i < args.window; i++) {
      sent++;
      send(pair);
    }
    await new Promise((r) => setTimeout(r, args.durationMs));
    running = false;
    const received = latencies.length;
    const elapsedMs = nowMs() - t0;
    const settle = nowMs();
    while (latencies.length < sent && nowMs() - settle < 5_000) await new Promise((r) => setTimeout(r, 10));
    return { sent, received, latencies: latencies.slice(0, received), elapsedMs };
  },
});

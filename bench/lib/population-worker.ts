/**
 * Load-generator process for the capacity population (bench:capacity, bench:presence-fanout,
 * bench:storm): it holds the clients [from, to) of a ring of n, each with `degree` mutual
 * contacts, logs them in with real Ed25519 proofs, tracks what presence each one sees, and
 * (storm) reconnects them with the client core's own backoff policy.
 */
import type WebSocket from 'ws';
import { CLOSE_CODES, retryDelayFromBusyReason } from '@discordopus/protocol';
import { busyRetryDelay, nextReconnectDelay } from '../../packages/core/src/signaling/reconnect-policy';
import { serveWorker } from './fleet';
import { KeyRing, ringContacts } from './keys';
import { LeanCloseError, leanLogin, nowMs, pool } from './lean-client';

interface Client {
  index: number;
  ws: WebSocket | null;
  authenticated: boolean;
  /** Contacts currently seen with a visible status. */
  seen: Map<string, string>;
  attempt: number;
  timer: ReturnType<typeof setTimeout> | null;
}

const FATAL = new Set([4401, 4409, 4426]);
const keys = new KeyRing();
let cfg = { url: '', n: 0, degree: 20, from: 0, to: 0, sources: [] as string[], timeoutMs: 10_000 };
const clients: Client[] = [];
let reconnect = false;
let stopped = false;
let gaveUp = 0;
let failedAttempts = 0;
/** Failed attempts closed with 4408: the server let the socket in and did not finish its login in time. */
let authTimeouts = 0;
/** Refusals with 4529 and a retry delay (admission control): not failures, as in the client core. */
let busyRefusals = 0;
/** Failed attempts by kind: close code, socket error code, or the client's own timeout. */
const failureKinds = new Map<string, number>();
/** Welcomes per wall-clock second (absolute second → count). */
const welcomes = new Map<number, number>();
/** Fan-out run: subject id → time its change was sent. */
const watch = new Map<string, number>();
const latencies: number[] = [];
let lastReceiptAt = 0;

function contactIds(index: number): string[] {
  return ringContacts(index, cfg.n, cfg.degree).map((i) => keys.get(i).id);
}

function onMessage(c: Client, text: string): void {
  const msg = JSON.parse(text) as { type: string; [k: string]: unknown };
  if (msg.type === 'presence.snapshot') {
    c.seen.clear();
    for (const e of msg.contacts as { publicKey: string; status: string }[]) c.seen.set(e.publicKey, e.status);
  } else if (msg.type === 'presence.update') {
    const subject = msg.publicKey as string;
    const status = msg.status as string;
    if (status === 'offline') c.seen.delete(subject);
    else c.seen.set(subject, status);
    const sentAt = watch.get(subject);
    if (sentAt !== undefined && status === 'away') {
      lastReceiptAt = nowMs();
      latencies.push(lastReceiptAt - sentAt);
    }
  }
}

async function login(c: Client): Promise<void> {
  c.timer = null;
  if (stopped) return;
  try {
    const ws = await leanLogin({
      url: cfg.url,
      key: keys.get(c.index),
      localAddress: cfg.sources[c.index % cfg.sources.length],
      timeoutMs: cfg.timeoutMs,
      handlers: { onMessage: (m) => onMessage(c, m), onClose: (code) => onClosed(c, code) },
    });
    c.ws = ws;
    c.authenticated = true;
    c.attempt = 0;
    const second = Math.floor(nowMs() / 1000);
    welcomes.set(second, (welcomes.get(second) ?? 0) + 1);
    ws.send(JSON.stringify({ type: 'contacts.set', contacts: contactIds(c.index) }));
  } catch (err) {
    const code = err instanceof LeanCloseError ? err.code : 0;
    const busyMs = err instanceof LeanCloseError && code === CLOSE_CODES.SERVER_BUSY ? retryDelayFromBusyReason(err.reason) : null;
    if (busyMs !== null && reconnect && !stopped) {
      // What the client core does (signaling-client.ts): wait as told, the backoff does not grow.
      busyRefusals++;
      c.timer = setTimeout(() => void login(c), busyRetryDelay(busyMs));
      return;
    }
    failedAttempts++;
    if (code === CLOSE_CODES.AUTH_TIMEOUT) authTimeouts++;
    const kind = code !== 0 ? `close ${code}` : ((err as { code?: string }).code ?? (err as Error).message).slice(0, 40);
    failureKinds.set(kind, (failureKinds.get(kind) ?? 0) + 1);
    retry(c, FATAL.has(code));
    if (!reconnect) throw err;
  }
}

function onClosed(c: Client, code: number): void {
  c.ws = null;
  c.authenticated = false;
  c.seen.clear();
  retry(c, FATAL.has(code));
}

function retry(c: Client, fatal: boolean): void {
  if (!reconnect || stopped) return;
  const delay = nextReconnectDelay({ attempt: c.attempt, fatal, random: Math.random });
  if (delay === null) {
    gaveUp++;
    return;
  }
  c.attempt++;
  c.timer = setTimeout(() => void login(c), delay);
}

serveWorker({
  init: (args: typeof cfg) => {
    cfg = args;
    for (let i = args.from; i < args.to; i++) clients.push({ index: i, ws: null, authenticated: false, seen: new Map(), attempt: 0, timer: null });
    for (const c of clients) contactIds(c.index); // derive every key up front, outside the timed part
    return clients.length;
  },
  /** Log everyone in with at most `concurrency` handshakes in flight. */
  connect: async (args: { concurrency: number }) => {
    const t0 = nowMs();
    let failed = 0;
    await pool(clients, args.concurrency, async (c) => {
      await login(c).catch(() => void failed++);
    });
    return { connected: clients.filter((c) => c.authenticated).length, failed, elapsedMs: nowMs() - t0 };
  },
  setReconnect: (args: { on: boolean }) => {
    reconnect = args.on;
    return reconnect;
  },
  /** Authenticated clients, and those that also see all their contacts visible. */
  state: () => {
    let authenticated = 0;
    let converged = 0;
    for (const c of clients) {
      if (!c.authenticated) continue;
      authenticated++;
      if (c.seen.size === cfg.degree) converged++;
    }
    return { authenticated, converged, gaveUp, failedAttempts, authTimeouts, busyRefusals, failureKinds: [...failureKinds.entries()], welcomes: [...welcomes.entries()] };
  },
  /** Change the status of `count` interior clients to away at `ratePerSecond`; measure receipts. */
  fanout: async (args: { count: number; ratePerSecond: number; settleMs: number }) => {
    const half = cfg.degree / 2;
    const interior = clients.filter((c) => c.index >= cfg.from + half && c.index < cfg.to - half && c.ws);
    const step = Math.max(1, Math.floor(interior.length / args.count));
    const subjects = interior.filter((_, i) => i % step === 0).slice(0, args.count);
    latencies.length = 0;
    watch.clear();
    const t0 = nowMs();
    let sent = 0;
    await new Promise<void>((resolve) => {
      const tick = setInterval(() => {
        const due = Math.min(subjects.length, Math.floor(((nowMs() - t0) / 1000) * args.ratePerSecond) + 1);
        for (; sent < due; sent++) {
          const c = subjects[sent] as Client;
          watch.set(keys.get(c.index).id, nowMs());
          c.ws?.send('{"type":"presence.set","status":"away"}');
        }
        if (sent >= subjects.length) {
          clearInterval(tick);
          resolve();
        }
      }, 5);
    });
    const lastSent = nowMs();
    const expected = subjects.length * cfg.degree;
    while (latencies.length < expected && nowMs() - lastSent < args.settleMs) await new Promise((r) => setTimeout(r, 20));
    return { changes: subjects.length, expected, latencies: [...latencies], firstSentAt: t0, lastSentAt: lastSent, lastReceiptAt };
  },
  stop: () => {
    stopped = true;
    for (const c of clients) {
      if (c.timer) clearTimeout(c.timer);
      c.ws?.terminate();
    }
    return true;
  },
});

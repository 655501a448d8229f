import { authProofSigningInput, PROTOCOL_VERSION } from '@discordopus/protocol';
import WebSocket from 'ws';
import { type BenchKey, signEd25519 } from './keys';

export type LeanState = 'connecting' | 'authenticated' | 'closed';

export interface LeanHandlers {
  /** The text of each server frame after the welcome, unparsed: the owner parses what it needs. */
  onMessage?: (text: string) => void;
  onClose?: (code: number) => void;
}

export interface LeanOptions {
  url: string;
  key: BenchKey;
  localAddress?: string;
  /** Milliseconds to wait for the welcome before giving up on this attempt. */
  timeoutMs: number;
  handlers?: LeanHandlers;
}

/** The server closed the socket before the welcome: its close code and reason. */
export class LeanCloseError extends Error {
  constructor(
    readonly code: number,
    readonly reason: string,
  ) {
    super(`closed ${code} before welcome`);
  }
}

/**
 * The cheapest honest client: a raw `ws` socket that answers the hello with a real Ed25519
 * proof (PROTOCOL.md §3.1) and hands every later frame to its owner. No schema parsing of
 * server frames, no reconnects: the load generators decide what to do on close.
 */
export function leanLogin(options: LeanOptions): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    // One timer for the whole login, as the client core has (connectTimeoutMs), not ws's own
    // handshake timer besides it.
    const ws = new WebSocket(options.url, { localAddress: options.localAddress, perMessageDeflate: false });
    let authed = false;
    const timer = setTimeout(() => {
      // A load generator runs thousands of clients in one event loop; when that loop is late,
      // timers run before the input that arrived in the meantime is read, and a client would
      // give up on an answer it already has. Each client the bench stands for has a machine of
      // its own: read what has arrived first (setImmediate runs after the poll phase), then decide.
      setImmediate(() => {
        if (authed) return;
        ws.terminate();
        reject(new Error('login timed out'));
      });
    }, options.timeoutMs);
    ws.on('error', (err) => {
      if (!authed) {
        clearTimeout(timer);
        reject(err);
      }
    });
    ws.on('close', (code, reason) => {
      clearTimeout(timer);
      if (!authed) reject(new LeanCloseError(code, reason.toString()));
      else options.handlers?.onClose?.(code);
    });
    ws.on('message', (data) => {
      const text = data.toString();
      if (authed) {
        options.handlers?.onMessage?.(text);
        return;
      }
      const msg = JSON.parse(text) as { type: string; [k: string]: unknown };
      if (msg.type === 'auth.hello') {
        const timestampMs = Date.now();
        const input = authProofSigningInput({ serverId: msg.serverId as string, nonce: msg.nonce as string, timestampMs, publicKey: options.key.id });
        ws.send(JSON.stringify({ type: 'auth.proof', protocolVersion: PROTOCOL_VERSION, publicKey: options.key.id, timestampMs, signature: signEd25519(options.key, input) }));
      } else if (msg.type === 'auth.welcome') {
        authed = true;
        clearTimeout(timer);
        resolve(ws);
      }
    });
  });
}

/** Run `task` over `items` with at most `limit` in flight. */
export async function pool<T>(items: readonly T[], limit: number, task: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const runners = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) await task(items[next++] as T);
  });
  await Promise.all(runners);
}

/** Source addresses 127.0.<b>.<c>, to spread sockets over many ephemeral-port ranges. */
export function loopbackSources(count: number, offset = 0): string[] {
  return Array.from({ length: count }, (_, i) => `127.0.${1 + Math.floor((i + offset) / 250)}.${1 + ((i + offset) % 250)}`);
}

export const nowMs = (): number => performance.timeOrigin + performance.now();

import { bytesToBase64url } from '@discordopus/protocol';
import type { Clock } from '../signaling/clock';

export interface HeartbeatOptions {
  clock: Clock;
  pingIntervalMs: number;
  deadAfterMs: number;
  /** Random bytes for ping nonces. */
  randomBytes: (n: number) => Uint8Array;
  sendPing: (ping: { type: 'link.ping'; nonce: string; sentAtMs: number }) => void;
  onDead: () => void;
  onRtt: (rttMs: number) => void;
  /** Called on every tick before the ping (re-checks such as relay-only). */
  onTick?: () => void;
}

const MAX_OUTSTANDING = 8;

/**
 * The link's liveness (P2P-01): a ping every `pingIntervalMs`; any frame from the peer counts as
 * a sign of life; nothing heard for `deadAfterMs` means the peer is gone, so a SIGKILLed peer is
 * noticed within deadAfterMs + pingIntervalMs instead of the transport's 14–30 s. A pong gives the
 * round trip on the monotonic clock (the engine's own RTT is whole ms, 0 on loopback).
 */
export class Heartbeat {
  readonly #o: HeartbeatOptions;
  readonly #outstanding = new Map<string, number>();
  #lastHeardAt: number;
  #timer: unknown = null;
  #stopped = false;

  constructor(options: HeartbeatOptions) {
    this.#o = options;
    this.#lastHeardAt = options.clock.monotonic();
  }

  start(): void {
    this.#schedule();
  }

  stop(): void {
    this.#stopped = true;
    if (this.#timer !== null) this.#o.clock.clearTimeout(this.#timer);
    this.#timer = null;
  }

  /** The peer said something (any valid frame). */
  heard(): void {
    this.#lastHeardAt = this.#o.clock.monotonic();
  }

  /** A pong: the RTT if it answers one of our pings, else ignored. */
  pong(nonce: string): void {
    const sentAt = this.#outstanding.get(nonce);
    if (sentAt === undefined) return;
    this.#outstanding.delete(nonce);
    this.#o.onRtt(Math.max(0, Math.round((this.#o.clock.monotonic() - sentAt) * 10) / 10));
  }

  /** Send one ping now (the first one right after the handshake gives the RTT at once). */
  pingNow(): void {
    const nonce = bytesToBase64url(this.#o.randomBytes(12));
    this.#outstanding.set(nonce, this.#o.clock.monotonic());
    while (this.#outstanding.size > MAX_OUTSTANDING) this.#outstanding.delete(this.#outstanding.keys().next().value as string);
    this.#o.sendPing({ type: 'link.ping', nonce, sentAtMs: this.#o.clock.now() });
  }

  #schedule(): void {
    if (this.#stopped) return;
    this.#timer = this.#o.clock.setTimeout(() => this.#tick(), this.#o.pingIntervalMs);
  }

  #tick(): void {
    this.#timer = null;
    if (this.#stopped) return;
    if (this.#o.clock.monotonic() - this.#lastHeardAt >= this.#o.deadAfterMs) {
      this.stop();
      this.#o.onDead();
      return;
    }
    this.#o.onTick?.();
    if (this.#stopped) return;
    this.pingNow();
    this.#schedule();
  }
}

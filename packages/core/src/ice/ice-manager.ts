import type { IceServer as WireIceServer } from '@discordopus/protocol';
import type { z } from 'zod';
import { TypedEmitter } from '../events/typed-emitter';
import { type Clock, MAX_TIMER_DELAY_MS, systemClock } from '../signaling/clock';
import { buildIceConfiguration, type IceConfiguration, type IceServer } from './ice-config';
import type { iceServerSchema } from './ice-server-schema';

/** Ask for fresh TURN credentials this long before they expire (at most half their lifetime). */
export const ICE_REFRESH_MARGIN_MS = 60_000;
/** Never ask for ICE servers more often than this, whatever the server says about expiry. */
export const ICE_REFRESH_MIN_DELAY_MS = 10_000;

/** The user's side of the ICE configuration (the vault's settings), read on every change. */
export interface UserIcePort {
  servers(): readonly z.input<typeof iceServerSchema>[];
  relayOnly(): boolean;
}

export interface IceManagerOptions {
  user: UserIcePort;
  /** STUN servers used when neither the user nor the server names one (default: public STUN). Tests: []. */
  defaultServers?: readonly IceServer[];
  clock?: Clock;
}

export type IceManagerEvents = {
  /** The configuration WebRTC should use changed (INFR-02). */
  iceChanged: (e: IceConfiguration) => void;
  /** The server's TURN credentials are about to expire: ask it for fresh ones (`ice.request`). */
  refreshDue: (e: { expiresAtMs: number }) => void;
};

/**
 * The current ICE configuration (INFR-02, P2P-03): the user's servers and relay-only choice
 * from settings, merged with the servers the signaling server announced; schedules the refresh
 * of short-lived TURN credentials. Input through handle*() calls, output as typed events.
 */
export class IceManager extends TypedEmitter<IceManagerEvents> {
  readonly #user: UserIcePort;
  readonly #clock: Clock;
  readonly #defaults: readonly IceServer[] | undefined;
  #server: IceServer[] = [];
  #current: IceConfiguration;
  #timer: unknown = null;

  constructor(options: IceManagerOptions) {
    super();
    this.#user = options.user;
    this.#clock = options.clock ?? systemClock;
    this.#defaults = options.defaultServers;
    this.#current = this.#compute();
  }

  get configuration(): IceConfiguration {
    return structuredClone(this.#current);
  }

  /** The signaling server announced its ICE servers (welcome or `ice.servers`). */
  handleServerIce(servers: readonly WireIceServer[], expiresAtMs: number | null): void {
    this.#server = servers.map((s) => ({ ...s, urls: [...s.urls] }));
    this.#update();
    this.#clearTimer();
    if (expiresAtMs !== null) this.#scheduleRefresh(expiresAtMs);
  }

  /** The user's ICE servers or relay-only setting changed. */
  handleUserIceChanged(): void {
    this.#update();
  }

  /** The session ended: no refresh is asked for until the next one. Server entries stay usable. */
  handleDisconnected(): void {
    this.#clearTimer();
  }

  /** Another signaling server: the old one's ICE servers no longer apply. */
  handleServerChanged(): void {
    this.#clearTimer();
    this.#server = [];
    this.#update();
  }

  stop(): void {
    this.#clearTimer();
  }

  #scheduleRefresh(expiresAtMs: number): void {
    const remaining = expiresAtMs - this.#clock.now();
    const wanted = remaining - Math.min(ICE_REFRESH_MARGIN_MS, remaining / 2);
    const capped = wanted > MAX_TIMER_DELAY_MS;
    const delay = Math.min(MAX_TIMER_DELAY_MS, Math.max(ICE_REFRESH_MIN_DELAY_MS, wanted));
    this.#timer = this.#clock.setTimeout(() => {
      this.#timer = null;
      // Far-future expiry: wait again instead of asking now.
      if (capped) this.#scheduleRefresh(expiresAtMs);
      else this.emit('refreshDue', { expiresAtMs });
    }, delay);
  }

  #clearTimer(): void {
    if (this.#timer !== null) this.#clock.clearTimeout(this.#timer);
    this.#timer = null;
  }

  #compute(): IceConfiguration {
    return buildIceConfiguration({
      user: this.#user.servers(),
      server: this.#server,
      relayOnly: this.#user.relayOnly(),
      ...(this.#defaults ? { defaults: this.#defaults } : {}),
    });
  }

  #update(): void {
    const next = this.#compute();
    if (JSON.stringify(next) === JSON.stringify(this.#current)) return;
    this.#current = next;
    this.emit('iceChanged', structuredClone(next));
  }
}

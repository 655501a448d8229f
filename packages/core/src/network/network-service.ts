import type { OwnStatus, ServerMessage } from '@discordopus/protocol';
import type { ContactsStore } from '../contacts/contacts-store';
import { TypedEmitter } from '../events/typed-emitter';
import type { Identity } from '../identity/identity';
import { type Logger, silentLogger } from '../logging/logger';
import { PresenceManager } from '../presence/presence-manager';
import type { SettingChange } from '../settings/settings-schema';
import type { SettingsStore } from '../settings/settings-store';
import type { ReconnectPolicyOptions } from '../signaling/reconnect-policy';
import { type Clock, MAX_TIMER_DELAY_MS, systemClock } from '../signaling/clock';
import { SignalingClient } from '../signaling/signaling-client';
import { SignalingError } from '../signaling/signaling-error';
import type { ConnectionStatus, WelcomeInfo } from '../signaling/signaling-events';
import type { CreateSignalingSocket } from '../signaling/signaling-socket';
import { buildIceConfiguration, type IceConfiguration, type IceServer } from '../ice/ice-config';
import type { NetworkServiceEvents } from './network-events';

/** What the network layer needs of an unlocked vault. */
export interface UnlockedVault {
  readonly identity: Identity;
  readonly contacts: ContactsStore;
  readonly settings: SettingsStore;
}

export interface NetworkServiceOptions {
  vault: UnlockedVault;
  logger?: Logger;
  createSocket?: CreateSignalingSocket;
  clock?: Clock;
  random?: () => number;
  policy?: ReconnectPolicyOptions;
  /** Expected server identity when it differs from the URL dialed (a server behind a proxy). */
  expectedServerId?: string | null;
  /**
   * Allow ws:// to non-loopback servers for this run only (the CLI's --insecure), whatever the
   * profile's `network.allowInsecureRemote` setting says. null: use the setting.
   */
  allowInsecureRemote?: boolean | null;
}

/** Ask for fresh TURN credentials this long before they expire (at most half their lifetime). */
const ICE_REFRESH_MARGIN_MS = 60_000;
/** Never ask for ICE servers more often than this, whatever the server says about expiry. */
const ICE_REFRESH_MIN_DELAY_MS = 10_000;

/**
 * The composition root of the client core's network side (INFR-01..05, PRES-01..03): wires the
 * unlocked vault, the signaling client and the presence manager, routes server messages to
 * the presence manager, keeps the ICE configuration current, and exposes one typed API and
 * event stream. Changing the server URLs in settings reconnects to the new servers.
 */
export class NetworkService extends TypedEmitter<NetworkServiceEvents> {
  readonly #opts: NetworkServiceOptions;
  readonly #vault: UnlockedVault;
  readonly #log: Logger;
  readonly #clock: Clock;
  readonly #presence: PresenceManager;
  #client: SignalingClient | null = null;
  #connection: ConnectionStatus = { state: 'disconnected', reason: null, detail: null, nextRetryAt: null, server: null };
  #serverIce: IceServer[] = [];
  #ice: IceConfiguration;
  #iceTimer: unknown = null;
  #running = false;
  readonly #unsubscribe: (() => void)[] = [];

  constructor(options: NetworkServiceOptions) {
    super((err, event) => options.logger?.error({ err, event }, 'network listener failed'));
    this.#opts = options;
    this.#vault = options.vault;
    this.#log = (options.logger ?? silentLogger).child({ component: 'network' });
    this.#clock = options.clock ?? systemClock;
    const settings = this.#vault.settings;
    const contacts = this.#vault.contacts;
    this.#presence = new PresenceManager({
      contacts: {
        publicKeysHex: () => contacts.publicKeys(),
        presenceOf: (key) => contacts.presenceOf(key),
        updatePresence: (key, status, lastSeenAt) => void contacts.updatePresence(key, status, lastSeenAt),
        markAllUnknown: () => contacts.markAllUnknown(),
        batch: (fn) => contacts.batch(fn),
      },
      ownStatus: {
        get: () => settings.get('presence.status'),
        set: (status) => settings.set('presence.status', status),
      },
      send: (message) => this.#client?.send(message) ?? false,
      clock: this.#clock,
      logger: this.#log,
    });
    this.#ice = this.#computeIce();
    this.#presence.on('presenceChanged', (e) => this.emit('presenceChanged', { publicKey: e.publicKeyHex, status: e.status, lastSeenAt: e.lastSeenAt }));
    this.#presence.on('statusChanged', (e) => this.emit('statusChanged', { status: e.status }));
    this.#presence.on('presenceReset', (e) => this.emit('presenceReset', e));
  }

  get identity(): Identity {
    return this.#vault.identity;
  }

  get connection(): ConnectionStatus {
    return { ...this.#connection };
  }

  get status(): OwnStatus {
    return this.#presence.status;
  }

  get iceConfiguration(): IceConfiguration {
    return structuredClone(this.#ice);
  }

  /** Connect and keep connected until stop(). */
  start(): void {
    if (this.#running) return;
    this.#running = true;
    this.#unsubscribe.push(
      this.#vault.contacts.on('changed', (e) => {
        if (e.reason === 'added' || e.reason === 'removed') this.#presence.handleContactsChanged();
        this.emit('contactsChanged', e);
      }),
      this.#vault.settings.on('changed', (e) => this.#onSettingChanged(e)),
    );
    this.#connect();
  }

  stop(): void {
    if (!this.#running) return;
    this.#running = false;
    for (const off of this.#unsubscribe.splice(0)) off();
    this.#clearIceTimer();
    this.#dropClient(); // detached first, so its own "disconnected" is not forwarded twice
    this.#presence.handleDisconnected('STOPPED');
    this.#setConnection({ state: 'disconnected', reason: null, detail: null, nextRetryAt: null, server: null });
  }

  /** PRES-01: set, persist and announce the user's status. */
  setStatus(status: OwnStatus): void {
    this.#presence.setStatus(status);
  }

  /** Skip the back-off wait (or restart after a fatal failure). */
  retryNow(): void {
    if (!this.#running) return;
    if (this.#client) this.#client.retryNow();
    else this.#connect();
  }

  #connect(): void {
    const settings = this.#vault.settings;
    let client: SignalingClient;
    try {
      client = new SignalingClient({
        urls: settings.get('network.signalingUrls'),
        allowInsecureRemote: this.#opts.allowInsecureRemote ?? settings.get('network.allowInsecureRemote'),
        signer: this.#vault.identity,
        loginStatus: () => this.#presence.status,
        expectedServerId: this.#opts.expectedServerId ?? null,
        ...(this.#opts.createSocket ? { createSocket: this.#opts.createSocket } : {}),
        ...(this.#opts.random ? { random: this.#opts.random } : {}),
        ...(this.#opts.policy ? { policy: this.#opts.policy } : {}),
        clock: this.#clock,
        logger: this.#log.child({ component: 'signaling' }),
      });
    } catch (err) {
      const e = err instanceof SignalingError ? err : SignalingError.badUrl('it could not be used.');
      this.#setConnection({ state: 'failed', reason: e.code, detail: e.message, nextRetryAt: null, server: null });
      return;
    }
    this.#client = client;
    client.on('stateChanged', (e) => {
      if (this.#client !== client) return;
      if (e.prev === 'connected' && e.state !== 'connected') {
        this.#clearIceTimer();
        this.#presence.handleDisconnected(e.reason ?? 'DISCONNECTED');
      }
      const { prev: _prev, ...status } = e;
      this.#setConnection(status);
    });
    client.on('connected', (welcome) => {
      if (this.#client !== client) return;
      this.#onIceServers(welcome.iceServers, welcome.iceExpiresAtMs);
      this.#presence.handleConnected({ loginStatus: welcome.loginStatus, limits: welcome.limits });
    });
    client.on('message', ({ message }) => {
      if (this.#client === client) this.#route(message);
    });
    client.start();
  }

  #route(message: ServerMessage): void {
    switch (message.type) {
      case 'presence.snapshot':
        return this.#presence.handleSnapshot(message);
      case 'presence.update':
        return this.#presence.handleUpdate(message);
      case 'ice.servers':
        return this.#onIceServers(message.iceServers, message.iceExpiresAtMs);
      case 'session.error':
        this.#log.debug({ code: message.code, about: message.about }, 'server refused a message');
        if (message.code === 'RATE_LIMITED') this.#presence.handleRateLimited(message.about);
        return;
      case 'signal.relay':
      case 'signal.error':
      case 'contact.request':
      case 'contact.request.error':
        // Peer connections and contact requests arrive with Phase 3 (P2P-01).
        this.#log.debug({ type: message.type }, 'not handled yet');
        return;
      case 'auth.hello':
      case 'auth.welcome':
      case 'heartbeat.pong':
        return;
      default: {
        const never: never = message;
        return never;
      }
    }
  }

  #onSettingChanged(change: SettingChange): void {
    this.emit('settingsChanged', change);
    switch (change.key) {
      case 'network.signalingUrls':
      case 'network.allowInsecureRemote':
        // A new server: drop the old session and connect to the new one.
        this.#log.info({}, 'signaling servers changed; reconnecting');
        this.#clearIceTimer();
        this.#presence.handleDisconnected('SERVER_CHANGED');
        this.#dropClient();
        this.#serverIce = [];
        this.#updateIce();
        if (this.#running) this.#connect();
        return;
      case 'network.iceServers':
      case 'network.relayOnly':
        this.#updateIce();
        return;
      case 'presence.status':
      case 'appearance.theme':
        return;
      default: {
        const never: never = change;
        return never;
      }
    }
  }

  #onIceServers(servers: WelcomeInfo['iceServers'], expiresAtMs: number | null): void {
    this.#serverIce = servers.map((s) => ({ ...s, urls: [...s.urls] }));
    this.#updateIce();
    this.#clearIceTimer();
    if (expiresAtMs === null) return;
    const remaining = expiresAtMs - this.#clock.now();
    const wanted = remaining - Math.min(ICE_REFRESH_MARGIN_MS, remaining / 2);
    const capped = wanted > MAX_TIMER_DELAY_MS;
    const delay = Math.min(MAX_TIMER_DELAY_MS, Math.max(ICE_REFRESH_MIN_DELAY_MS, wanted));
    this.#iceTimer = this.#clock.setTimeout(() => {
      this.#iceTimer = null;
      // Far-future expiry: wait again instead of asking now.
      if (capped) this.#onIceServers(this.#serverIce, expiresAtMs);
      else this.#client?.send({ type: 'ice.request' });
    }, delay);
  }

  #dropClient(): void {
    const client = this.#client;
    this.#client = null;
    client?.stop();
  }

  #clearIceTimer(): void {
    if (this.#iceTimer !== null) this.#clock.clearTimeout(this.#iceTimer);
    this.#iceTimer = null;
  }

  #computeIce(): IceConfiguration {
    const settings = this.#vault.settings;
    return buildIceConfiguration({
      user: settings.get('network.iceServers'),
      server: this.#serverIce,
      relayOnly: settings.get('network.relayOnly'),
    });
  }

  #updateIce(): void {
    const next = this.#computeIce();
    if (JSON.stringify(next) === JSON.stringify(this.#ice)) return;
    this.#ice = next;
    this.emit('iceChanged', structuredClone(next));
  }

  #setConnection(status: ConnectionStatus): void {
    this.#connection = status;
    this.emit('connectionChanged', { ...status });
  }
}

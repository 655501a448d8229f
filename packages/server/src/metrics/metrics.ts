import { CLIENT_MESSAGE_TYPES, SERVER_MESSAGE_TYPES } from '@discordopus/protocol';
import { collectDefaultMetrics, Counter, Gauge, Registry } from 'prom-client';

/**
 * Per-message counts kept as plain numbers and handed to prom-client only when /metrics is
 * scraped: its `inc({ type })` (and a `labels()` child's, which calls it) hashes the labels on
 * every message (bench:relay profile).
 */
class TypeCounts {
  readonly #known: ReadonlySet<string>;
  readonly #counts = new Map<string, number>();

  constructor(known: readonly string[]) {
    this.#known = new Set(known);
  }

  add(type: string): void {
    const key = this.#known.has(type) ? type : 'other';
    this.#counts.set(key, (this.#counts.get(key) ?? 0) + 1);
  }

  /** Collector of a Counter with a `type` label: the counts so far, as absolute values. */
  collector(): (this: Counter<'type'>) => void {
    const counts = this.#counts;
    return function collect(this: Counter<'type'>) {
      this.reset();
      for (const [type, n] of counts) this.inc({ type }, n);
    };
  }
}

/**
 * The server's Prometheus metrics, on a Registry of its own (never prom-client's global one),
 * so several servers in one process (tests, an embedded server) keep separate counts. Label
 * values come from closed sets: message types of the protocol, error codes, budgets.
 */
export class ServerMetrics {
  readonly registry = new Registry();
  readonly connections = new Gauge({ name: 'discordopus_connections', help: 'Open WebSocket connections', registers: [this.registry] });
  readonly sessions = new Gauge({ name: 'discordopus_sessions', help: 'Authenticated sessions on this node', registers: [this.registry] });
  readonly directoryEntries = new Gauge({
    name: 'discordopus_directory_entries',
    help: 'Online users known to this node (all nodes), including those in their grace period',
    registers: [this.registry],
  });
  readonly auths = new Counter({
    name: 'discordopus_auth_total',
    help: 'Login attempts by result',
    labelNames: ['result'] as const,
    registers: [this.registry],
  });
  readonly #in = new TypeCounts(CLIENT_MESSAGE_TYPES);
  readonly #out = new TypeCounts(SERVER_MESSAGE_TYPES);
  readonly messagesIn = new Counter({
    name: 'discordopus_messages_in_total',
    help: 'Valid client messages received, by type',
    labelNames: ['type'] as const,
    registers: [this.registry],
    collect: this.#in.collector(),
  });
  readonly messagesOut = new Counter({
    name: 'discordopus_messages_out_total',
    help: 'Messages sent to clients, by type',
    labelNames: ['type'] as const,
    registers: [this.registry],
    collect: this.#out.collector(),
  });
  readonly malformed = new Counter({ name: 'discordopus_malformed_frames_total', help: 'Frames dropped as malformed', registers: [this.registry] });
  readonly relayErrors = new Counter({
    name: 'discordopus_relay_errors_total',
    help: 'signal.send and contact.request.send refusals, by code',
    labelNames: ['code'] as const,
    registers: [this.registry],
  });
  readonly rateLimited = new Counter({
    name: 'discordopus_rate_limited_total',
    help: 'Messages refused by a rate limit, by budget',
    labelNames: ['budget'] as const,
    registers: [this.registry],
  });
  readonly closes = new Counter({
    name: 'discordopus_closes_total',
    help: 'Connections closed by the server, by reason',
    labelNames: ['reason'] as const,
    registers: [this.registry],
  });
  readonly backplaneMessages = new Counter({
    name: 'discordopus_backplane_messages_total',
    help: 'Backplane messages by direction',
    labelNames: ['direction'] as const,
    registers: [this.registry],
  });
  readonly backplaneResyncs = new Counter({ name: 'discordopus_backplane_resyncs_total', help: 'Backplane resyncs after a reconnect', registers: [this.registry] });

  constructor(options: { processMetrics: boolean }) {
    if (options.processMetrics) collectDefaultMetrics({ register: this.registry, prefix: 'discordopus_' });
  }

  /** Admission control's state, read when /metrics is scraped (nothing per login). */
  observeAdmission(source: { readonly pending: number; readonly ratePerSecond: number }): void {
    new Gauge({
      name: 'discordopus_logins_pending',
      help: 'Sockets upgraded and not yet logged in (admission control counts them)',
      registers: [this.registry],
      collect() {
        this.set(source.pending);
      },
    });
    new Gauge({
      name: 'discordopus_login_rate_estimate',
      help: 'Logins per second that admission control spreads refused clients by',
      registers: [this.registry],
      collect() {
        this.set(source.ratePerSecond);
      },
    });
  }

  countIn(type: string): void {
    this.#in.add(type);
  }

  countOut(type: string): void {
    this.#out.add(type);
  }

  async text(): Promise<string> {
    return this.registry.metrics();
  }
}

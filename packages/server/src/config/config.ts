import { DEFAULT_SIGNALING_PORT, LIMITS } from '@discordopus/protocol';
import { z } from 'zod';

/*
 * Every error message is the end of a sentence whose subject is the setting: the CLI prints
 * "--port must be a whole number from 0 to 65535", code sees "port must be …". No zod paths or
 * zod wording reach the user.
 */

/** A list option: an array programmatically, a comma-separated string from flags and env. */
const listProblem = `must be a comma-separated list of at most ${LIMITS.maxIceUrlsPerServer} URLs of at most ${LIMITS.maxIceUrlChars} characters each`;
const list = z.preprocess(
  (value) => (typeof value === 'string' ? value.split(',').map((s) => s.trim()).filter((s) => s.length > 0) : value),
  z.array(z.string({ error: listProblem }).min(1, { error: listProblem }).max(LIMITS.maxIceUrlChars, { error: listProblem }), { error: listProblem }).max(LIMITS.maxIceUrlsPerServer, { error: listProblem }),
);
const int = (min: number, max: number) => {
  const error = `must be a whole number from ${min} to ${max}`;
  return z.coerce.number({ error }).int({ error }).min(min, { error }).max(max, { error });
};
const positive = () => {
  const error = 'must be a number above 0 and at most 1000000000';
  return z.coerce.number({ error }).positive({ error }).max(1e9, { error });
};
const text = (min: number, max: number, what = 'characters') => {
  const error = `must be ${min} to ${max} ${what}`;
  return z.string({ error }).min(min, { error }).max(max, { error });
};
const optionalText = (max = 4096) => text(1, max).optional();
const name = (max: number) => {
  const error = `must be 1 to ${max} of the characters A-Z a-z 0-9 . _ -`;
  return z.string({ error }).min(1, { error }).max(max, { error }).regex(/^[A-Za-z0-9._-]+$/, { error });
};
const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/**
 * Every server setting, its default and its bounds, in one place (CONVENTIONS 11). The CLI
 * and the environment are derived from these keys (`maxConnections` → `--max-connections`,
 * `DISCORDOPUS_MAX_CONNECTIONS`); nothing restates a default.
 */
const serverConfigShape = z
  .object({
    host: text(1, 255).default('127.0.0.1').describe('Interface to listen on.'),
    port: int(0, 65535).default(DEFAULT_SIGNALING_PORT).describe('TCP port; 0 picks a free one.'),
    publicUrl: z.url({ protocol: /^wss?$/, error: 'must be a ws:// or wss:// URL' }).optional().describe('The server\'s identity and the URL clients dial (wss://… behind a TLS proxy). Default: derived from host and port.'),
    tlsCertFile: optionalText().describe('PEM certificate (chain) to serve WSS directly; needs tlsKeyFile. Or run behind a TLS proxy.'),
    tlsKeyFile: optionalText().describe('PEM private key for WSS (with tlsCertFile).'),
    stunUrls: list.default([]).describe('STUN URLs announced to clients.'),
    turnUrls: list.default([]).describe('TURN URLs announced with short-lived credentials when `turnSecret` is set.'),
    turnSecret: text(8, 512).optional().describe('coturn `static-auth-secret` (use-auth-secret).'),
    turnCredentialTtlSeconds: int(60, 7 * 24 * 3600).default(3600).describe('Lifetime of issued TURN credentials.'),
    redisUrl: z.url({ protocol: /^rediss?$/, error: 'must be a redis:// or rediss:// URL' }).optional().describe('Redis URL for scale-out (redis://host:port); without it the node runs alone in memory.'),
    redisChannelPrefix: z
      .string({ error: 'must be 1 to 64 of the characters A-Z a-z 0-9 : _ -' })
      .regex(/^[A-Za-z0-9:_-]{1,64}$/, { error: 'must be 1 to 64 of the characters A-Z a-z 0-9 : _ -' })
      .default('discordopus').describe('Prefix of the Redis pub/sub channels, to share one Redis between deployments.'),
    nodeId: name(64).optional().describe('Name of this node in the backplane; random by default.'),
    workers: int(1, 64)
      .default(1)
      .describe('Processes to run, each a node of its own sharing the port (node:cluster); above 1 needs redisUrl, the nodes\' only link. Limits are per node.'),
    workerBalance: z
      .enum(['kernel', 'primary'], { error: 'must be kernel or primary' })
      .default('kernel')
      .describe('How --workers share incoming sockets: kernel (every worker accepts from the one listening socket: cheapest; the split follows which worker is free) or primary (the primary accepts each socket and hands it to the workers in turn: even, but each socket crosses a process; bench:auth-rate measured 608 against 454 µs of server CPU per login).'),
    nodeHeartbeatMs: int(100, 60_000).default(2_000).describe('How often a node tells the others it is alive; silent for 3x this, its users go offline.'),

    listenBacklog: int(1, 65_535)
      .default(4_096)
      .describe('Connections the kernel queues before the node accepts them (listen backlog, capped by net.core.somaxconn, 4096 on Linux 5.4+). Beyond it new connections wait for SYN retransmits (1 s, 3 s, 7 s) the node cannot see: a 19,900-client storm was back within 25 s in 4 of 6 runs with 4096, 1 of 4 with Node\'s 511 (bench/RESULTS.md, 2026-11-30).'),
    maxConnections: int(1, 1_000_000).default(10_000).describe('Open sockets accepted; further ones are closed with 4503.'),
    maxConnectionsPerAddress: int(0, 1_000_000)
      .default(64)
      .describe('Open sockets per remote address (IPv6: per /64), 127.0.0.1 included; further upgrades get HTTP 503. 0: no limit (behind a proxy every client has its address).'),
    maxPendingLogins: int(0, 1_000_000)
      .default(0)
      .describe('Logins in progress at once (upgraded, not yet logged in); one more is refused with 4529 and a retry delay spread by the accept rate (admission control, PROTOCOL.md 5.9). 0 (the default: on a busy 2-core machine it brought a 19,900-client storm back more slowly than without, bench/RESULTS.md 2026-11-30): no admission control at all; 512 is a reasonable value to turn it on.'),
    maxLoginQueueDelayMs: int(0, 60_000)
      .default(1_000)
      .describe('Admission control: an upgrade request that waited longer than this inside the node (accepted, not yet read) means the node is behind; it then lets in at most maxPendingLogins x this / the wait at once (at least 64) and refuses the other newcomers with 4529. 0: no such check.'),
    initialLoginRatePerSecond: int(1, 1_000_000)
      .default(2_000)
      .describe('Logins per second admission control assumes until it has measured the node\'s own login capacity; better too high (a client that comes back too early is refused again, cheaply) than too low (the node idles while its clients wait).'),
    authDeadlineMs: int(100, 60_000).default(LIMITS.authDeadlineMs).describe('Time a socket has to log in (4408 after).'),
    authSkewMs: int(0, LIMITS.authTimestampSkewMs).default(LIMITS.authTimestampSkewMs).describe('Allowed distance between the client\'s timestamp and the server clock, either way; at most the protocol\'s 60 s, since link set-up messages between clients allow twice that (PROTOCOL.md 6.1).'),
    heartbeatIntervalMs: int(50, 600_000).default(25_000).describe('WebSocket ping interval; a socket that misses one pong is terminated.'),
    offlineGraceMs: int(0, 60_000).default(2_000).describe('Keep a closed session\'s presence this long to absorb quick reconnects.'),
    maxFrameBytes: int(1024, LIMITS.maxFrameBytes).default(LIMITS.maxFrameBytes).describe('Largest frame accepted (ws maxPayload); never above the protocol\'s maximum.'),
    maxBufferedBytes: int(1024, 1 << 30).default(4 * 1024 * 1024).describe('A client whose unsent output exceeds this is dropped (backpressure).'),

    relayPerSecond: positive().default(20).describe('signal.send budget per key (on this node; a reconnect does not refill it): sustained rate.'),
    relayBurst: int(1, 100_000).default(60).describe('signal.send budget per key (on this node): burst.'),
    presencePerSecond: positive().default(2).describe('presence.set + contacts.set budget per key (on this node; a reconnect does not refill it): sustained rate.'),
    presenceBurst: int(1, 100_000).default(10).describe('presence.set + contacts.set budget per key (on this node): burst.'),
    contactRequestPerMinute: positive().default(5).describe('contact.request.send budget per sending key (on this node): sustained rate.'),
    contactRequestBurst: int(1, 100_000).default(5).describe('contact.request.send budget per sending key (on this node): burst.'),
    framesPerSecond: positive().default(100).describe('All frames of a socket, whatever their type.'),
    framesBurst: int(1, 1_000_000).default(300).describe('All frames of a socket: burst.'),
    malformedBurst: int(1, 10_000).default(10).describe('Malformed frames tolerated in a burst (one is forgiven every 10 s); then 4400.'),
    rateLimitStrikeBurst: int(1, 10_000).default(30).describe('Rate-limited messages tolerated in a burst (one is forgiven every second); then 4429.'),

    headersTimeoutMs: int(100, 120_000).default(10_000).describe('HTTP: time to receive the request headers.'),
    requestTimeoutMs: int(100, 120_000).default(15_000).describe('HTTP: time to receive a whole request.'),
    shutdownTimeoutMs: int(0, 120_000).default(5_000).describe('Bounded shutdown: sockets still open after this are terminated.'),
    logLevel: z.enum(LOG_LEVELS, { error: `must be one of ${LOG_LEVELS.join(', ')}` }).default('info').describe('pino log level.'),
  })
  .strict();

function isObjectPayload(payload: { value: unknown }): boolean {
  return typeof payload.value === 'object' && payload.value !== null;
}

export const serverConfigSchema = serverConfigShape
  // Cross-field rules run even when a field is invalid (`when`), so every problem is reported
  // at once; they read only fields they can check on raw input.
  .refine((c) => (c.tlsCertFile === undefined) === (c.tlsKeyFile === undefined), {
    message: 'and tlsKeyFile go together: set both or neither',
    path: ['tlsCertFile'],
    when: isObjectPayload,
  })
  .refine((c) => c.workers === undefined || Number(c.workers) <= 1 || c.redisUrl !== undefined, {
    message: 'above 1 needs redisUrl: each worker is a node, and nodes share presence only through Redis',
    path: ['workers'],
    when: isObjectPayload,
  })
  .refine((c) => ((c.turnUrls as unknown[] | string | undefined)?.length ?? 0) === 0 || c.turnSecret !== undefined, {
    message: 'is needed when turnUrls are set',
    path: ['turnSecret'],
    when: isObjectPayload,
  });

export type ServerConfig = z.infer<typeof serverConfigSchema>;
export type ServerConfigInput = z.input<typeof serverConfigSchema>;
export type ServerConfigKey = keyof ServerConfig;

export const CONFIG_KEYS = Object.keys(serverConfigShape.shape) as ServerConfigKey[];

/** One problem: the setting it is about (null for the whole config) and the rest of the sentence. */
export interface ConfigIssue {
  key: string | null;
  text: string;
}

const KEY_WORDS = new RegExp(`\\b(${CONFIG_KEYS.join('|')})\\b`, 'g');

/** Sentences naming each setting as `nameOf` says (`port`, `--port`, `DISCORDOPUS_PORT`). */
export function formatConfigIssues(issues: readonly ConfigIssue[], nameOf: (key: string) => string): string[] {
  return issues.map((i) => {
    const text = i.text.replace(KEY_WORDS, (k) => nameOf(k));
    return i.key === null ? text : `${nameOf(i.key)} ${text}`;
  });
}

export class ConfigError extends Error {
  /** The problems as sentences naming the settings by their config keys. */
  readonly problems: string[];

  constructor(readonly issues: ConfigIssue[]) {
    const problems = formatConfigIssues(issues, (k) => k);
    super(`Invalid server configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
    this.problems = problems;
  }
}

function toConfigIssues(issues: readonly z.core.$ZodIssue[]): ConfigIssue[] {
  return issues.flatMap((i): ConfigIssue[] => {
    if (i.code === 'unrecognized_keys') return i.keys.map((k) => ({ key: null, text: `unknown setting: ${k.slice(0, 64)}` }));
    const key = i.path.length > 0 ? String(i.path[0]) : null;
    return [{ key, text: i.message }];
  });
}

/** Validate and fill in defaults. Throws a ConfigError listing every problem. */
export function parseServerConfig(input: Partial<ServerConfigInput> | Record<string, unknown>): ServerConfig {
  const result = serverConfigSchema.safeParse(input);
  if (result.success) return result.data;
  throw new ConfigError(toConfigIssues(result.error.issues));
}

/** One line of help per key, from the schema itself. */
export function describeConfigKey(key: ServerConfigKey): string {
  return serverConfigShape.shape[key].description ?? '';
}

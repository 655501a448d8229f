import { LIMITS } from '@discordopus/protocol';
import { z } from 'zod';

/** A list option: an array programmatically, a comma-separated string from flags and env. */
const list = z.preprocess(
  (value) => (typeof value === 'string' ? value.split(',').map((s) => s.trim()).filter((s) => s.length > 0) : value),
  z.array(z.string().min(1).max(LIMITS.maxIceUrlChars)).max(LIMITS.maxIceUrlsPerServer),
);
const int = (min: number, max: number) => z.coerce.number().int().min(min).max(max);
const positive = () => z.coerce.number().positive().max(1e9);
const optionalText = (max = 4096) => z.string().min(1).max(max).optional();

/**
 * Every server setting, its default and its bounds, in one place (CONVENTIONS 11). The CLI
 * and the environment are derived from these keys (`maxConnections` → `--max-connections`,
 * `DISCORDOPUS_MAX_CONNECTIONS`); nothing restates a default.
 */
const serverConfigShape = z
  .object({
    host: z.string().min(1).max(255).default('127.0.0.1').describe('Interface to listen on.'),
    port: int(0, 65535).default(7717).describe('TCP port; 0 picks a free one.'),
    publicUrl: z.url({ protocol: /^wss?$/ }).optional().describe('The server\'s identity and the URL clients dial (wss://… behind a TLS proxy). Default: derived from host and port.'),
    tlsCertFile: optionalText().describe('PEM certificate (chain) to serve WSS directly; needs tlsKeyFile. Or run behind a TLS proxy.'),
    tlsKeyFile: optionalText().describe('PEM private key for WSS (with tlsCertFile).'),
    stunUrls: list.default([]).describe('STUN URLs announced to clients.'),
    turnUrls: list.default([]).describe('TURN URLs announced with short-lived credentials when `turnSecret` is set.'),
    turnSecret: z.string().min(8).max(512).optional().describe('coturn `static-auth-secret` (use-auth-secret).'),
    turnCredentialTtlSeconds: int(60, 7 * 24 * 3600).default(3600).describe('Lifetime of issued TURN credentials.'),
    redisUrl: z.url({ protocol: /^rediss?$/ }).optional().describe('Redis URL for scale-out (redis://host:port); without it the node runs alone in memory.'),
    redisChannelPrefix: z.string().min(1).max(64).regex(/^[A-Za-z0-9:_-]+$/).default('discordopus').describe('Prefix of the Redis pub/sub channels, to share one Redis between deployments.'),
    nodeId: z.string().min(1).max(64).regex(/^[A-Za-z0-9._-]+$/).optional().describe('Name of this node in the backplane; random by default.'),
    nodeHeartbeatMs: int(100, 60_000).default(2_000).describe('How often a node tells the others it is alive; silent for 3x this, its users go offline.'),

    maxConnections: int(1, 1_000_000).default(10_000).describe('Open sockets accepted; further ones are closed with 4503.'),
    maxConnectionsPerAddress: int(0, 1_000_000)
      .default(64)
      .describe('Open sockets per remote address (IPv6: per /64), 127.0.0.1 included; further upgrades get HTTP 503. 0: no limit (behind a proxy every client has its address).'),
    authDeadlineMs: int(100, 60_000).default(LIMITS.authDeadlineMs).describe('Time a socket has to log in (4408 after).'),
    authSkewMs: int(0, 600_000).default(LIMITS.authTimestampSkewMs).describe('Allowed distance between the client\'s timestamp and the server clock, either way.'),
    heartbeatIntervalMs: int(50, 600_000).default(25_000).describe('WebSocket ping interval; a socket that misses one pong is terminated.'),
    offlineGraceMs: int(0, 60_000).default(2_000).describe('Keep a closed session\'s presence this long to absorb quick reconnects.'),
    maxFrameBytes: int(1024, LIMITS.maxFrameBytes).default(LIMITS.maxFrameBytes).describe('Largest frame accepted (ws maxPayload); never above the protocol\'s maximum.'),
    maxBufferedBytes: int(1024, 1 << 30).default(4 * 1024 * 1024).describe('A client whose unsent output exceeds this is dropped (backpressure).'),

    relayPerSecond: positive().default(20).describe('signal.send budget per socket: sustained rate.'),
    relayBurst: int(1, 100_000).default(60).describe('signal.send budget per socket: burst.'),
    presencePerSecond: positive().default(2).describe('presence.set + contacts.set budget per socket: sustained rate.'),
    presenceBurst: int(1, 100_000).default(10).describe('presence.set + contacts.set budget per socket: burst.'),
    contactRequestPerMinute: positive().default(5).describe('contact.request.send budget per sending key (on this node): sustained rate.'),
    contactRequestBurst: int(1, 100_000).default(5).describe('contact.request.send budget per sending key (on this node): burst.'),
    framesPerSecond: positive().default(100).describe('All frames of a socket, whatever their type.'),
    framesBurst: int(1, 1_000_000).default(300).describe('All frames of a socket: burst.'),
    malformedBurst: int(1, 10_000).default(10).describe('Malformed frames tolerated in a burst (one is forgiven every 10 s); then 4400.'),
    rateLimitStrikeBurst: int(1, 10_000).default(30).describe('Rate-limited messages tolerated in a burst (one is forgiven every second); then 4429.'),

    headersTimeoutMs: int(100, 120_000).default(10_000).describe('HTTP: time to receive the request headers.'),
    requestTimeoutMs: int(100, 120_000).default(15_000).describe('HTTP: time to receive a whole request.'),
    shutdownTimeoutMs: int(0, 120_000).default(5_000).describe('Bounded shutdown: sockets still open after this are terminated.'),
    logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info').describe('pino log level.'),
  })
  .strict();

export const serverConfigSchema = serverConfigShape
  .refine((c) => (c.tlsCertFile === undefined) === (c.tlsKeyFile === undefined), {
    message: 'tlsCertFile and tlsKeyFile go together',
    path: ['tlsCertFile'],
  })
  .refine((c) => c.turnUrls.length === 0 || c.turnSecret !== undefined, {
    message: 'turnUrls need a turnSecret',
    path: ['turnSecret'],
  });

export type ServerConfig = z.infer<typeof serverConfigSchema>;
export type ServerConfigInput = z.input<typeof serverConfigSchema>;
export type ServerConfigKey = keyof ServerConfig;

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid server configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Validate and fill in defaults. Throws a ConfigError listing every problem. */
export function parseServerConfig(input: Partial<ServerConfigInput> | Record<string, unknown>): ServerConfig {
  const result = serverConfigSchema.safeParse(input);
  if (result.success) return result.data;
  throw new ConfigError(result.error.issues.map((i) => `${i.path.join('.') || '(config)'}: ${i.message}`));
}

export const CONFIG_KEYS = Object.keys(serverConfigShape.shape) as ServerConfigKey[];

/** One line of help per key, from the schema itself. */
export function describeConfigKey(key: ServerConfigKey): string {
  return serverConfigShape.shape[key].description ?? '';
}

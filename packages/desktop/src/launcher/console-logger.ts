import type { Logger } from '@discordopus/core';
import { pino } from 'pino';
import type { BridgeLogger } from '../bridge';

export const LOG_LEVELS = ['silent', 'error', 'warn', 'info', 'debug'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

type Write = (line: string) => void;

/** Keys whose values never reach a log line, at the top level or one object down. */
export const REDACTED_KEYS = [
  'passphrase',
  'password',
  'backupPassphrase',
  'token',
  'secret',
  'launchCode',
  'privateKey',
  'secretKey',
  'seed',
  'sdp',
  'authorization',
  'cookie',
] as const;

const CENSOR = '[redacted]';

/**
 * The launcher's logger: pino, with the keys above redacted, writing one human-readable line
 * per event on stderr (`discordopus warn: message {"context":…}`; stdout is for what the user
 * must read, such as the address to open). The core logs no keys; the app URL with its one-time
 * code is printed only on stdout, on purpose.
 */
export function consoleLogger(level: LogLevel, write: Write = (line) => process.stderr.write(`${line}\n`)): Logger {
  return pino(
    {
      level,
      base: undefined,
      timestamp: false,
      redact: { paths: REDACTED_KEYS.flatMap((key) => [key, `*.${key}`]), censor: CENSOR },
      serializers: { err: (value: unknown) => (value instanceof Error ? `${value.name}: ${value.message}` : value) },
    },
    { write: (json: string) => write(humanLine(json)) },
  );
}

const LEVEL_NAMES: Record<number, string> = { 10: 'trace', 20: 'debug', 30: 'info', 40: 'warn', 50: 'error', 60: 'fatal' };

/** pino's JSON line as `discordopus LEVEL: message {context}`. */
function humanLine(json: string): string {
  let record: Record<string, unknown>;
  try {
    record = JSON.parse(json) as Record<string, unknown>;
  } catch {
    return `discordopus: ${json.trim()}`;
  }
  const { level, msg, ...context } = record;
  const name = LEVEL_NAMES[level as number] ?? String(level);
  const text = Object.keys(context).length > 0 ? ` ${JSON.stringify(context)}` : '';
  return `discordopus ${name}: ${typeof msg === 'string' ? msg : ''}${text}`;
}

/** The bridge server's logger shape on top of the core's. */
export function bridgeLoggerFrom(logger: Logger): BridgeLogger {
  const log = logger.child({ component: 'bridge' });
  return {
    info: (message, context) => log.info(context ?? {}, message),
    warn: (message, context) => log.warn(context ?? {}, message),
    debug: (message, context) => log.debug(context ?? {}, message),
  };
}

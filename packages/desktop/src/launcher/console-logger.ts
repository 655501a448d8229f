import type { Logger } from '@discordopus/core';
import type { BridgeLogger } from '../bridge';

export const LOG_LEVELS = ['silent', 'error', 'warn', 'info', 'debug'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

type Write = (line: string) => void;

/**
 * The launcher's logger: one line per event on stderr (stdout is for what the user must read,
 * such as the address to open), with the context as JSON. Secrets never reach it: the core
 * logs no keys, and the app URL with its one-time code is printed only on stdout, on purpose.
 */
export function consoleLogger(level: LogLevel, write: Write = (line) => process.stderr.write(`${line}\n`), bindings: Record<string, unknown> = {}): Logger {
  const rank = LOG_LEVELS.indexOf(level);
  const at = (name: Exclude<LogLevel, 'silent'>) => (obj: object, msg?: string) => {
    if (LOG_LEVELS.indexOf(name) > rank) return;
    const context = { ...bindings, ...obj };
    const text = Object.keys(context).length > 0 ? ` ${JSON.stringify(context, errorReplacer)}` : '';
    write(`discordopus ${name}: ${msg ?? ''}${text}`);
  };
  return {
    error: at('error'),
    warn: at('warn'),
    info: at('info'),
    debug: at('debug'),
    child: (more) => consoleLogger(level, write, { ...bindings, ...more }),
  };
}

function errorReplacer(_key: string, value: unknown): unknown {
  return value instanceof Error ? `${value.name}: ${value.message}` : value;
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

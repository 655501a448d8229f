import { pino, type Logger, type DestinationStream } from 'pino';

export type { Logger };

/**
 * Paths never written in clear, whatever the level (CONVENTIONS 10). Info lines carry session
 * ids and counts only; who talked to whom, keys and payloads never appear above debug, and
 * payloads, signatures and secrets not even there.
 */
export const REDACTED_PATHS = [
  'payload',
  '*.payload',
  'signature',
  '*.signature',
  'turnSecret',
  '*.turnSecret',
  'credential',
  '*.credential',
  'redisUrl',
  '*.redisUrl',
  'contacts',
  '*.contacts',
];

export function createLogger(level: string, destination?: DestinationStream): Logger {
  return pino(
    {
      name: 'discordopus-server',
      level,
      redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
      base: { pid: process.pid },
    },
    destination,
  );
}

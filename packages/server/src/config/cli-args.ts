import { CONFIG_KEYS, type ServerConfigKey } from './config';

/** `maxConnections` → `max-connections`. */
export function flagName(key: string): string {
  return key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}

/** `maxConnections` → `DISCORDOPUS_MAX_CONNECTIONS`. */
export function envName(key: string): string {
  return `DISCORDOPUS_${key.replace(/[A-Z]/g, (c) => `_${c}`).toUpperCase()}`;
}

export type RawConfig = Partial<Record<ServerConfigKey, string>>;

export interface ParsedArgs {
  raw: RawConfig;
  help: boolean;
  errors: string[];
}

/**
 * Read config values from the environment, then from `--flag value` / `--flag=value`, which win.
 * Values stay strings; the config schema coerces and validates them, so there is one set of rules.
 */
export function readConfigSources(argv: readonly string[], env: Readonly<Record<string, string | undefined>>): ParsedArgs {
  const raw: RawConfig = {};
  const errors: string[] = [];
  const byFlag = new Map(CONFIG_KEYS.map((k) => [flagName(k), k]));
  for (const key of CONFIG_KEYS) {
    const value = env[envName(key)];
    if (value !== undefined && value !== '') raw[key] = value;
  }
  let help = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === '--help' || arg === '-h') {
      help = true;
      continue;
    }
    const m = /^--([a-z0-9-]+)(?:=(.*))?$/s.exec(arg);
    const key = m ? byFlag.get(m[1] as string) : undefined;
    if (!m || key === undefined) {
      errors.push(`unknown argument: ${arg}`);
      continue;
    }
    let value = m[2];
    if (value === undefined) {
      value = argv[i + 1];
      if (value === undefined || value.startsWith('--')) {
        errors.push(`--${m[1]} needs a value`);
        continue;
      }
      i++;
    }
    raw[key] = value;
  }
  return { raw, help, errors };
}

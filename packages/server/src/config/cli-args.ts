import { parseArgs } from 'node:util';
import { CONFIG_KEYS, type ConfigIssue, formatConfigIssues, type ServerConfigKey } from './config';

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
  /** Where each value came from, to name it the way the user wrote it in error messages. */
  sources: Partial<Record<ServerConfigKey, 'flag' | 'env'>>;
}

const BY_FLAG = new Map<string, ServerConfigKey>(CONFIG_KEYS.map((k) => [flagName(k), k]));

/** Every config key as a string option of `util.parseArgs`, plus `--help` / `-h`. */
const OPTIONS = Object.fromEntries([
  ...CONFIG_KEYS.map((k) => [flagName(k), { type: 'string' as const }]),
  ['help', { type: 'boolean' as const, short: 'h' }],
]);

/**
 * Read config values from the environment, then from `--flag value` / `--flag=value`, which win
 * (`util.parseArgs`, non-strict, so that every problem is reported at once in our words rather
 * than only the first, in Node's). Values stay strings; the config schema coerces and validates
 * them, so there is one set of rules.
 */
export function readConfigSources(argv: readonly string[], env: Readonly<Record<string, string | undefined>>): ParsedArgs {
  const raw: RawConfig = {};
  const sources: ParsedArgs['sources'] = {};
  const errors: string[] = [];
  for (const key of CONFIG_KEYS) {
    const value = env[envName(key)];
    if (value !== undefined && value !== '') {
      raw[key] = value;
      sources[key] = 'env';
    }
  }
  let help = false;
  let args = [...argv];
  while (args.length > 0) {
    const { tokens } = parseArgs({ args, options: OPTIONS, strict: false, allowPositionals: true, tokens: true });
    let rest: string[] = [];
    for (const token of tokens) {
      if (token.kind === 'positional') {
        errors.push(`unknown argument: ${token.value}`);
        continue;
      }
      if (token.kind === 'option-terminator') {
        errors.push('unknown argument: --');
        continue;
      }
      if (token.name === 'help') {
        help = true;
        continue;
      }
      const key = BY_FLAG.get(token.name);
      if (key === undefined || !token.rawName.startsWith('--')) {
        errors.push(`unknown argument: ${token.rawName}`);
        continue;
      }
      // Non-strict parseArgs takes the next argument as the value even when it is another
      // flag: report the missing value and read again from that flag on.
      if (!token.inlineValue && token.value !== undefined && token.value.startsWith('--')) {
        errors.push(`${token.rawName} needs a value`);
        rest = args.slice(token.index + 1);
        break;
      }
      if (token.value === undefined || token.value === '') {
        errors.push(`${token.rawName} needs a value`);
        continue;
      }
      raw[key] = token.value;
      sources[key] = 'flag';
    }
    args = rest;
  }
  return { raw, help, errors, sources };
}

/** Config problems in the user's words: the flag or environment variable they set. */
export function describeForCli(issues: readonly ConfigIssue[], sources: ParsedArgs['sources']): string[] {
  return formatConfigIssues(issues, (k) => (sources[k as ServerConfigKey] === 'env' ? envName(k) : `--${flagName(k)}`));
}

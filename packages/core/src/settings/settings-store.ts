import { z } from 'zod';
import { TypedEmitter } from '../events/typed-emitter';
import { silentLogger, type Logger } from '../logging/logger';
import type { Connection } from '../vault/connection';
import { SettingsError } from './settings-error';
import {
  isSettingKey,
  SETTING_KEYS,
  SETTINGS,
  type SettingChange,
  type SettingKey,
  type SettingsSnapshot,
  type SettingValue,
} from './settings-schema';

/** A stored value that did not pass its schema; the default is used instead. */
export interface SettingProblem {
  key: SettingKey;
  reason: string;
}

export type SettingsEvents = {
  changed: (e: SettingChange) => void;
};

/**
 * Typed settings stored in the vault, one JSON value per key. Every value is checked against its
 * schema when loaded and when set. An invalid stored value (written by a newer or broken
 * version, or edited by hand) never crashes: the default is used, the problem is listed in
 * `problems` (for the UI to show after unlock) and logged; setting a valid value clears it. Rows for keys this version does not know are kept.
 */
export class SettingsStore extends TypedEmitter<SettingsEvents> {
  readonly #conn: Connection;
  readonly #now: () => number;
  readonly #log: Logger;
  readonly #values = new Map<SettingKey, unknown>();
  readonly #problems = new Map<SettingKey, SettingProblem>();

  constructor(options: { connection: Connection; now?: () => number; logger?: Logger }) {
    const log = options.logger ?? silentLogger;
    super((err, event) => log.error({ err, event }, 'settings listener threw'));
    this.#conn = options.connection;
    this.#now = options.now ?? Date.now;
    this.#log = log;
    this.#load();
  }

  get<K extends SettingKey>(key: K): SettingValue<K> {
    if (!isSettingKey(key)) throw SettingsError.unknown(key);
    return structuredClone(this.#values.get(key) ?? SETTINGS[key].default) as SettingValue<K>;
  }

  /** Validate, store and announce a value. Throws INVALID_SETTING or UNKNOWN_SETTING. */
  set<K extends SettingKey>(key: K, value: SettingValue<K>): void {
    if (!isSettingKey(key)) throw SettingsError.unknown(key);
    const parsed = SETTINGS[key].schema.safeParse(value);
    if (!parsed.success) throw SettingsError.invalid(key, z.prettifyError(parsed.error));
    const json = JSON.stringify(parsed.data);
    const unchanged = JSON.stringify(this.#values.get(key) ?? SETTINGS[key].default) === json;
    // A stored value that was invalid is rewritten even when the effective value stays the same.
    if (unchanged && !this.#problems.has(key)) return;
    this.#conn
      .prepare(
        `INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`,
      )
      .run(key, json, this.#now());
    this.#values.set(key, parsed.data);
    this.#problems.delete(key);
    if (unchanged) return;
    this.emit('changed', { key, value: structuredClone(parsed.data) } as SettingChange);
  }

  /** Forget the stored value; the default applies again. */
  reset(key: SettingKey): void {
    if (!isSettingKey(key)) throw SettingsError.unknown(key);
    this.#conn.prepare('DELETE FROM settings WHERE key = ?').run(key);
    const had = this.#values.delete(key) || this.#problems.delete(key);
    if (had) this.emit('changed', { key, value: this.get(key) } as SettingChange);
  }

  all(): SettingsSnapshot {
    return Object.fromEntries(SETTING_KEYS.map((key) => [key, this.get(key)])) as SettingsSnapshot;
  }

  /** Stored values that were invalid when the vault was opened, and still are. */
  get problems(): SettingProblem[] {
    return [...this.#problems.values()];
  }

  #load(): void {
    const rows = this.#conn.prepare('SELECT key, value FROM settings').all() as { key: string; value: string }[];
    for (const row of rows) {
      if (!isSettingKey(row.key)) continue;
      const problem = this.#check(row.key, row.value);
      if (problem) {
        this.#problems.set(row.key, problem);
        this.#log.warn({ key: row.key, reason: problem.reason }, 'invalid stored setting; using the default');
      }
    }
  }

  #check(key: SettingKey, text: string): SettingProblem | null {
    let raw: unknown;
    try {
      raw = JSON.parse(text);
    } catch {
      return { key, reason: 'the stored value is not JSON' };
    }
    const parsed = SETTINGS[key].schema.safeParse(raw);
    if (!parsed.success) return { key, reason: z.prettifyError(parsed.error) };
    this.#values.set(key, parsed.data);
    return null;
  }
}

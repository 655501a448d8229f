import type { Db } from '../sqlcipher';
import { VaultError } from '../vault-error';
import { MIGRATIONS } from './index';
import type { Migration } from './migration';

export function schemaVersion(db: Db): number {
  return Number(db.pragma('user_version', { simple: true }));
}

/** Refuse, before anything is written, a database made by a newer version. */
export function assertNotTooNew(db: Db, migrations: readonly Migration[] = MIGRATIONS): void {
  const found = schemaVersion(db);
  if (found > migrations.length) throw VaultError.tooNew(found, migrations.length);
}

/**
 * Apply the pending migrations up to `target`, each in its own transaction together with the
 * new `user_version` (VAULT-03). Returns the versions before and after.
 */
export function runMigrations(
  db: Db,
  options: { target?: number; migrations?: readonly Migration[] } = {},
): { from: number; to: number } {
  const migrations = options.migrations ?? MIGRATIONS;
  migrations.forEach((m, i) => {
    if (m.version !== i + 1) throw new Error(`Migration ${m.name} is numbered ${m.version}; expected ${i + 1}.`);
  });
  const target = options.target ?? migrations.length;
  assertNotTooNew(db, migrations);
  const from = schemaVersion(db);
  for (const migration of migrations) {
    if (migration.version <= from || migration.version > target) continue;
    db.transaction(() => {
      migration.up(db);
      db.pragma(`user_version = ${migration.version}`);
    }).immediate();
  }
  return { from, to: schemaVersion(db) };
}

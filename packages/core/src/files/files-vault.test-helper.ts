import { Connection } from '../vault/connection';
import { MIGRATIONS } from '../vault/migrations/index';
import { migration006 } from '../vault/migrations/006-file-transfers';
import type { Migration } from '../vault/migrations/migration';
import { runMigrations } from '../vault/migrations/run-migrations';
import { configureConnection, openEncrypted } from '../vault/sqlcipher';

/**
 * Until 005 (contact requests, another branch) is merged, 006 is applied after a stand-in 005
 * that does nothing, in test vaults only; then this is plain `runMigrations(db)`.
 */
const STAND_IN_005: Migration = { version: 5, name: 'stand-in for 005 (tests only)', up: () => {} };
export const TEST_MIGRATIONS: readonly Migration[] =
  MIGRATIONS.length >= 6 ? MIGRATIONS : [...MIGRATIONS, ...(MIGRATIONS.length === 4 ? [STAND_IN_005] : []), migration006];

/** A real SQLCipher vault file with the file_transfers table; reopen it with the same key. */
export function openFilesVault(path: string, key: Uint8Array): Connection {
  const db = openEncrypted(path, key, { create: true });
  configureConnection(db);
  runMigrations(db, { migrations: TEST_MIGRATIONS });
  return new Connection(db);
}

import { Connection } from '../vault/connection';
import { MIGRATIONS } from '../vault/migrations/index';
import type { Migration } from '../vault/migrations/migration';
import { runMigrations } from '../vault/migrations/run-migrations';
import { configureConnection, openEncrypted } from '../vault/sqlcipher';

/** The vault's migrations, file_transfers (007) included. */
export const TEST_MIGRATIONS: readonly Migration[] = MIGRATIONS;

/** A real SQLCipher vault file with the file_transfers table; reopen it with the same key. */
export function openFilesVault(path: string, key: Uint8Array): Connection {
  const db = openEncrypted(path, key, { create: true });
  configureConnection(db);
  runMigrations(db, { migrations: TEST_MIGRATIONS });
  return new Connection(db);
}

import type { Db } from '../sqlcipher';

/**
 * One numbered schema change (VAULT-03). `up` runs inside the transaction that also records
 * `PRAGMA user_version = version`, so a migration is applied whole or not at all.
 */
export interface Migration {
  version: number;
  name: string;
  up(db: Db): void;
}

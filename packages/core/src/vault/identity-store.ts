import { Identity } from '../identity/identity';
import type { Connection } from './connection';
import { VaultError } from './vault-error';

interface IdentityRow {
  seed: Uint8Array;
  public_key: Uint8Array;
  display_name: string;
}

/**
 * The identity row: the private seed exists on disk only here, inside the encrypted vault. A
 * changed display name gets a new update time (P2P-05), always later than the previous one even
 * if the clock went back, so contacts take the new card; the same name keeps its time.
 */
export function writeIdentity(conn: Connection, identity: Identity, now: number): void {
  conn
    .prepare(
      `INSERT INTO identity (id, seed, public_key, display_name, created_at, display_name_updated_at)
       VALUES (1, ?, ?, ?, ?, ?)
       ON CONFLICT (id) DO UPDATE SET
         display_name_updated_at = CASE WHEN identity.display_name = excluded.display_name
           THEN identity.display_name_updated_at
           ELSE max(excluded.display_name_updated_at, identity.display_name_updated_at + 1) END,
         display_name = excluded.display_name
       WHERE identity.public_key = excluded.public_key`,
    )
    .run(identity.exportSeed(), identity.publicKey, identity.displayName, now, now);
}

/** When the user's display name was last set (ms since the epoch). */
export function readDisplayNameUpdatedAt(conn: Connection): number {
  const at = conn.prepare('SELECT display_name_updated_at FROM identity WHERE id = 1').pluck().get() as number | undefined;
  if (at === undefined) throw VaultError.corrupt('it holds no identity');
  return at;
}

export function readIdentity(conn: Connection): Identity {
  const row = conn.prepare('SELECT seed, public_key, display_name FROM identity WHERE id = 1').get() as
    | IdentityRow
    | undefined;
  if (!row) throw VaultError.corrupt('it holds no identity');
  const identity = Identity.fromSeed(new Uint8Array(row.seed), row.display_name);
  if (!Buffer.from(identity.publicKey).equals(row.public_key)) {
    throw VaultError.corrupt('the stored public key does not match the stored private key');
  }
  return identity;
}

import { closeSync, openSync, readSync, rmSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3-multiple-ciphers';
import { bytesToHex } from '@discordopus/protocol';
import { fsyncFile } from './durable-fs';
import { VaultError } from './vault-error';

/**
 * The SQLCipher 4 engine: better-sqlite3-multiple-ciphers 12.11.1 with `cipher='sqlcipher'` and
 * `legacy=4` (SQLCipher 4.x defaults: AES-256-CBC, HMAC-SHA512 per 4 KiB page, a random
 * 16-byte salt in the file header). We hand it a raw 32-byte key (`x'…'`, derived with scrypt,
 * see kdf.ts), so SQLCipher's own PBKDF2 is skipped.
 *
 * Fail closed: the two cipher-selection pragmas and the key are the first statements on the
 * connection, before anything reads the file; then the connection must report the sqlcipher
 * cipher, and a file that starts with the plain SQLite header is refused.
 */
export type Db = Database.Database;

const PLAIN_SQLITE_HEADER = Buffer.from('SQLite format 3\0', 'latin1');

/** True when the file exists and starts with the unencrypted SQLite header. */
export function isPlainSqliteFile(path: string): boolean {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch {
    return false;
  }
  try {
    const head = Buffer.alloc(PLAIN_SQLITE_HEADER.length);
    const n = readSync(fd, head, 0, head.length, 0);
    return n === head.length && head.equals(PLAIN_SQLITE_HEADER);
  } finally {
    closeSync(fd);
  }
}

export function assertEncryptedFile(path: string): void {
  if (isPlainSqliteFile(path)) throw VaultError.notEncrypted(`${path} is a plain SQLite file`);
}

/**
 * Open `path` with a raw key and prove the key is right by reading the schema. A wrong key
 * throws WRONG_PASSPHRASE and writes nothing: the connection never got past page 1. The
 * connection holds an exclusive lock on the file until it is closed: nothing else, not even
 * a reader, can use the database meanwhile (the profile lock already keeps other instances out).
 */
export function openEncrypted(path: string, key: Uint8Array, options: { create: boolean }): Db {
  if (!options.create) assertEncryptedFile(path);
  const db = new Database(path, { fileMustExist: !options.create, timeout: 5_000 });
  try {
    db.pragma(`cipher = 'sqlcipher'`);
    db.pragma('legacy = 4');
    db.pragma(`key = "x'${bytesToHex(key)}'"`);
    // Before the first read: with the exclusive locking mode SQLite keeps the WAL index in
    // process memory, so there is no -shm file, and a wrong key touches no file at all.
    db.pragma('locking_mode = EXCLUSIVE');
    const cipher: unknown = db.pragma('cipher', { simple: true });
    const legacy: unknown = db.pragma('legacy', { simple: true });
    if (cipher !== 'sqlcipher' || Number(legacy) !== 4) {
      throw VaultError.notEncrypted(`the engine reports cipher ${String(cipher)}, legacy ${String(legacy)}`);
    }
    try {
      db.prepare('SELECT count(*) FROM sqlite_schema').pluck().get();
    } catch (err) {
      if (isSqliteCode(err, 'SQLITE_NOTADB')) throw VaultError.wrongPassphrase('vault', err);
      if (isSqliteCode(err, 'SQLITE_BUSY')) throw VaultError.profileInUse(dirname(path));
      throw VaultError.corrupt('the database cannot be read', err);
    }
    return db;
  } catch (err) {
    db.close();
    throw err;
  }
}

/**
 * Connection settings for the live vault: WAL with synchronous=FULL (every commit is on disk
 * when it returns), temp tables and sort spills in memory (SQLCipher does not encrypt temp
 * files), foreign keys on.
 */
export function configureConnection(db: Db): void {
  const mode: unknown = db.pragma('journal_mode = WAL', { simple: true });
  if (mode !== 'wal') throw VaultError.corrupt(`cannot switch to WAL (journal mode is ${String(mode)})`);
  db.pragma('synchronous = FULL');
  db.pragma('temp_store = MEMORY');
  db.pragma('foreign_keys = ON');
}

/**
 * Write a complete, encrypted copy of `db` to `dest` under `newKey`, durably, ready to be
 * renamed over the live file. VACUUM INTO writes the copy under the current key; the copy
 * (not yet live, in rollback-journal mode) is then rekeyed and switched to WAL.
 */
export function writeEncryptedCopy(db: Db, currentKey: Uint8Array, dest: string, newKey: Uint8Array): void {
  removeDatabaseFiles(dest);
  db.exec(`VACUUM INTO '${dest.replaceAll("'", "''")}'`);
  assertEncryptedFile(dest);
  const copy = openEncrypted(dest, currentKey, { create: false });
  try {
    copy.pragma(`rekey = "x'${bytesToHex(newKey)}'"`);
    copy.pragma('journal_mode = WAL');
  } finally {
    copy.close();
  }
  const check = openEncrypted(dest, newKey, { create: false });
  try {
    const result: unknown = check.pragma('quick_check', { simple: true });
    if (result !== 'ok') throw VaultError.corrupt(`the re-encrypted copy failed its check: ${String(result)}`);
  } finally {
    check.close();
  }
  assertEncryptedFile(dest);
  fsyncFile(dest);
}

/** A database and its side files (-wal, -shm, -journal). */
export function removeDatabaseFiles(path: string): void {
  for (const suffix of ['', '-wal', '-shm', '-journal']) rmSync(`${path}${suffix}`, { force: true });
}

export function isSqliteCode(err: unknown, code: string): boolean {
  return typeof err === 'object' && err !== null && (err as { code?: unknown }).code === code;
}

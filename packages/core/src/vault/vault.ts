import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { FileStore } from '../files/file-store';
import { CallLogStore } from '../calls/call-log-store';
import { dirname, join } from 'node:path';
import { applyProfileData, collectProfileData } from '../backup/backup-contents';
import { decryptBackup, encryptBackup } from '../backup/identity-backup';
import { ContactsStore } from '../contacts/contacts-store';
import { RequestStore } from '../contact-requests/request-store';
import { Identity } from '../identity/identity';
import { MessageStore } from '../messages/message-store';
import { silentLogger, type Logger } from '../logging/logger';
import { signProfileCard, type ProfileCardFrame } from '../identity/profile-card';
import { SettingsStore } from '../settings/settings-store';
import { Connection } from './connection';
import { fsyncDir, fsyncFile, renameDurable } from './durable-fs';
import { readDisplayNameUpdatedAt, readIdentity, writeIdentity } from './identity-store';
import { DEFAULT_SCRYPT, deriveKey, sameKey, type ScryptParams } from './kdf';
import { KEY_FILE_NAME, newKeyFile, readKeyFile, writeKeyFile, type KeyFile } from './key-file';
import { assertNotTooNew, runMigrations, schemaVersion } from './migrations/run-migrations';
import { assertAcceptablePassphrase } from './passphrase-policy';
import { ProfileLock } from './profile-lock';
import {
  assertEncryptedFile,
  configureConnection,
  openEncrypted,
  removeDatabaseFiles,
  writeEncryptedCopy,
  type Db,
} from './sqlcipher';
import { VaultError } from './vault-error';

export const DB_FILE_NAME = 'vault.db';
/** Where a new vault and a re-encrypted copy are built before being renamed into place. */
const NEW_DB_SUFFIX = '.new';
const REKEY_DB_SUFFIX = '.rekey';

export interface VaultCommonOptions {
  logger?: Logger;
  /** Clock for stored timestamps (contact added, setting updated). */
  now?: () => number;
}

export interface VaultCreateOptions extends VaultCommonOptions {
  /** The profile folder (see `profileDir`); made if missing. */
  dir: string;
  passphrase: string;
  displayName: string;
  /** scrypt cost; the default is DEFAULT_SCRYPT. Stored beside the database. */
  kdf?: ScryptParams;
}

export interface VaultUnlockOptions extends VaultCommonOptions {
  dir: string;
  passphrase: string;
}

export interface VaultRestoreOptions extends VaultCommonOptions {
  dir: string;
  backupBytes: Uint8Array;
  backupPassphrase: string;
  /** The passphrase of the new vault. */
  passphrase: string;
  kdf?: ScryptParams;
}

/**
 * The user's encrypted vault (VAULT-01..04): one SQLCipher 4 database per profile holding the
 * identity, contacts and settings, unlocked with a passphrase, open in one process at a time.
 *
 * Files in the profile folder: `vault.db` (+ `-wal`, `-shm`), `vault-kdf.json` (scrypt
 * parameters and salt, not secret) and `profile.lock`.
 */
export class Vault {
  readonly dir: string;
  readonly contacts: ContactsStore;
  readonly settings: SettingsStore;
  /** Conversations and direct messages (MSG-01..05). */
  readonly messages: MessageStore;
  /** Contact requests and blocked keys (CONT-06). */
  readonly requests: RequestStore;
  /** File transfers (FILE-01..03, migration 007). */
  readonly files: FileStore;
  /** The calls that ended with each contact (VOICE-04, migration 009). */
  readonly callLog: CallLogStore;
  #identity: Identity;
  readonly #conn: Connection;
  readonly #lock: ProfileLock;
  readonly #keyFile: KeyFile;
  #key: Buffer;
  readonly #log: Logger;
  readonly #now: () => number;

  private constructor(init: { dir: string; db: Db; lock: ProfileLock; keyFile: KeyFile; key: Buffer; options: VaultCommonOptions }) {
    this.dir = init.dir;
    this.#lock = init.lock;
    this.#keyFile = init.keyFile;
    this.#key = init.key;
    this.#log = (init.options.logger ?? silentLogger).child({ component: 'vault' });
    this.#now = init.options.now ?? Date.now;
    this.#conn = new Connection(init.db);
    this.#identity = readIdentity(this.#conn);
    const common = { connection: this.#conn, now: this.#now, logger: this.#log };
    this.contacts = new ContactsStore({ ...common, ownPublicKey: this.#identity.publicKey });
    this.settings = new SettingsStore(common);
    this.messages = new MessageStore({ connection: this.#conn, ownPublicKey: this.#identity.publicKey, now: this.#now });
    this.requests = new RequestStore(this.#conn);
    this.files = new FileStore({ connection: this.#conn, now: this.#now });
    this.callLog = new CallLogStore({ connection: this.#conn });
  }

  /** True when the folder holds a vault (a half-created one does not count). */
  static exists(dir: string): boolean {
    return existsSync(join(dir, DB_FILE_NAME));
  }

  /** First launch (IDEN-01): a fresh identity in a new vault. Throws WEAK_PASSPHRASE, VAULT_EXISTS, PROFILE_IN_USE. */
  static async create(options: VaultCreateOptions): Promise<Vault> {
    const identity = Identity.create(options.displayName);
    assertAcceptablePassphrase(options.passphrase, { displayName: identity.displayName });
    return Vault.#createWith(identity, options);
  }

  /** Throws VAULT_NOT_FOUND, PROFILE_IN_USE, WRONG_PASSPHRASE, VAULT_TOO_NEW, VAULT_CORRUPT. */
  static async unlock(options: VaultUnlockOptions): Promise<Vault> {
    const { dir } = options;
    if (!Vault.exists(dir)) throw VaultError.notFound(dir);
    const lock = ProfileLock.acquire(dir);
    try {
      removeLeftovers(dir);
      const keyFile = readKeyFile(join(dir, KEY_FILE_NAME));
      const key = await deriveKey(options.passphrase, keyFile.salt, keyFile.params);
      return Vault.#open(dir, lock, keyFile, key, options);
    } catch (err) {
      lock.release();
      throw err;
    }
  }

  /**
   * IDEN-03: a new profile from a backup: the identity, and (version 2 backups) the contacts
   * with their nicknames and verifications, and the settings. Throws the backup errors and
   * those of `create`.
   */
  static async restoreFromBackup(options: VaultRestoreOptions): Promise<Vault> {
    if (Vault.exists(options.dir)) throw VaultError.exists(options.dir);
    const contents = await decryptBackup(options.backupBytes, options.backupPassphrase);
    const identity = Identity.fromSeed(contents.seed, contents.displayName);
    contents.seed.fill(0);
    assertAcceptablePassphrase(options.passphrase, { displayName: identity.displayName });
    const vault = await Vault.#createWith(identity, options);
    try {
      const restored = applyProfileData(contents, { contacts: vault.contacts, settings: vault.settings, requests: vault.requests, logger: vault.#log });
      vault.#log.info(restored, 'profile restored from a backup');
    } catch (err) {
      vault.close();
      throw err;
    }
    return vault;
  }

  get identity(): Identity {
    this.#assertOpen();
    return this.#identity;
  }

  get isOpen(): boolean {
    return this.#conn.isOpen;
  }

  setDisplayName(displayName: string): Identity {
    this.#assertOpen();
    const renamed = this.#identity.withDisplayName(displayName);
    writeIdentity(this.#conn, renamed, this.#now());
    this.#identity = renamed;
    return renamed;
  }

  /**
   * P2P-05: the user's display name signed by the user, as sent to contacts on every link. It
   * stays the same (same time, same bytes) until the name changes.
   */
  profileCard(): ProfileCardFrame {
    this.#assertOpen();
    const updatedAtMs = readDisplayNameUpdatedAt(this.#conn);
    return signProfileCard({ identity: this.#identity, displayName: this.#identity.displayName, updatedAtMs });
  }

  /**
   * VAULT-02. Re-encrypts the whole database under the new passphrase and swaps it in with one
   * rename, so a crash at any moment leaves either the old or the new passphrase working:
   *   1. VACUUM INTO a sibling file, rekey that copy, check it, fsync it (the live file is untouched);
   *   2. close the live connection, which checkpoints the WAL into the old file and deletes it;
   *   3. rename the copy over `vault.db` and fsync the folder: the commit point;
   *   4. reopen. A leftover copy from a crash before step 3 is deleted at the next unlock.
   * SQLCipher's in-place PRAGMA rekey is not used: it cannot run in WAL mode, and a crash in the
   * middle of it leaves pages under two keys.
   */
  async changePassphrase(oldPassphrase: string, newPassphrase: string): Promise<void> {
    this.#assertOpen();
    assertAcceptablePassphrase(newPassphrase, { displayName: this.#identity.displayName });
    const { salt, params } = this.#keyFile;
    const oldKey = await deriveKey(oldPassphrase, salt, params);
    const newKey = await deriveKey(newPassphrase, salt, params);
    const oldMatches = this.#conn.isOpen && sameKey(oldKey, this.#key);
    oldKey.fill(0);
    if (!oldMatches) {
      newKey.fill(0);
      if (!this.#conn.isOpen) throw VaultError.closed();
      throw VaultError.wrongPassphrase();
    }

    const live = join(this.dir, DB_FILE_NAME);
    const copy = live + REKEY_DB_SUFFIX;
    try {
      writeEncryptedCopy(this.#conn.db, this.#key, copy, newKey);
    } catch (err) {
      removeDatabaseFiles(copy);
      newKey.fill(0);
      throw err;
    }
    this.#conn.detach()?.close();
    if (existsSync(`${live}-wal`) && statSync(`${live}-wal`).size > 0) {
      // The checkpoint on close did not finish: keep the old file, which is still complete with its WAL.
      removeDatabaseFiles(copy);
      newKey.fill(0);
      this.#reopen(this.#key);
      throw VaultError.corrupt('the write-ahead log could not be checkpointed; the passphrase was not changed');
    }
    try {
      renameDurable(copy, live);
    } catch (err) {
      removeDatabaseFiles(copy);
      newKey.fill(0);
      this.#reopen(this.#key);
      throw err;
    }
    rmSync(`${live}-shm`, { force: true });
    this.#key.fill(0);
    this.#key = newKey;
    this.#reopen(newKey);
    this.#log.info({}, 'vault passphrase changed');
  }

  /** IDEN-03: the identity, contacts and changed settings, encrypted under `passphrase`, as the bytes of a backup file. */
  async exportBackup(passphrase: string, options: { kdf?: ScryptParams } = {}): Promise<Uint8Array> {
    this.#assertOpen();
    assertAcceptablePassphrase(passphrase, { displayName: this.#identity.displayName });
    const seed = this.#identity.exportSeed();
    try {
      const data = collectProfileData(this.contacts, this.settings, this.requests);
      return await encryptBackup({ seed, displayName: this.#identity.displayName, ...data }, passphrase, options);
    } finally {
      seed.fill(0);
    }
  }

  /** Close the database and release the profile. Idempotent. */
  close(): void {
    const db = this.#conn.detach();
    if (db === null) return;
    db.close();
    this.#lock.release();
    this.#key.fill(0);
    this.#log.info({}, 'vault closed');
  }

  #assertOpen(): void {
    if (!this.#conn.isOpen) throw VaultError.closed();
  }

  #reopen(key: Buffer): void {
    const db = openEncrypted(join(this.dir, DB_FILE_NAME), key, { create: false });
    configureConnection(db);
    this.#conn.replace(db);
  }

  static #open(dir: string, lock: ProfileLock, keyFile: KeyFile, key: Buffer, options: VaultCommonOptions): Vault {
    let db: Db;
    try {
      db = openEncrypted(join(dir, DB_FILE_NAME), key, { create: false });
    } catch (err) {
      key.fill(0);
      throw err;
    }
    try {
      assertNotTooNew(db);
      // A real vault is built whole before it is renamed into place, so it is never at version 0;
      // an empty file would otherwise be silently re-created under whatever key was typed.
      if (schemaVersion(db) === 0) throw VaultError.corrupt('the database file is empty');
      configureConnection(db);
      runMigrations(db);
      const vault = new Vault({ dir, db, lock, keyFile, key, options });
      vault.#log.info({ contacts: vault.contacts.count }, 'vault unlocked');
      return vault;
    } catch (err) {
      db.close();
      key.fill(0);
      throw err;
    }
  }

  /**
   * Build the complete database beside its final name, in rollback-journal mode, then switch it
   * to WAL, fsync it and rename it into place: a crash never leaves a half-made vault.
   */
  static async #createWith(identity: Identity, options: VaultCommonOptions & { dir: string; passphrase: string; kdf?: ScryptParams }): Promise<Vault> {
    const { dir } = options;
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    fsyncDir(dirname(dir));
    const lock = ProfileLock.acquire(dir);
    try {
      if (Vault.exists(dir)) throw VaultError.exists(dir);
      removeLeftovers(dir);
      const keyFile = newKeyFile(options.kdf ?? DEFAULT_SCRYPT);
      const key = await deriveKey(options.passphrase, keyFile.salt, keyFile.params);
      writeKeyFile(join(dir, KEY_FILE_NAME), keyFile);
      const live = join(dir, DB_FILE_NAME);
      const fresh = live + NEW_DB_SUFFIX;
      const db = openEncrypted(fresh, key, { create: true });
      try {
        db.pragma('synchronous = FULL');
        runMigrations(db);
        writeIdentity(new Connection(db), identity, (options.now ?? Date.now)());
        db.pragma('journal_mode = WAL');
      } catch (err) {
        db.close();
        removeDatabaseFiles(fresh);
        throw err;
      }
      db.close();
      assertEncryptedFile(fresh);
      fsyncFile(fresh);
      renameDurable(fresh, live);
      return Vault.#open(dir, lock, keyFile, key, options);
    } catch (err) {
      lock.release();
      throw err;
    }
  }
}

/** Copies left by a crash during create or changePassphrase, and temp key files. Call under the lock. */
function removeLeftovers(dir: string): void {
  removeDatabaseFiles(join(dir, DB_FILE_NAME + NEW_DB_SUFFIX));
  removeDatabaseFiles(join(dir, DB_FILE_NAME + REKEY_DB_SUFFIX));
  for (const name of readdirSync(dir)) {
    if (name.startsWith(`${KEY_FILE_NAME}.tmp-`)) rmSync(join(dir, name), { force: true });
  }
}

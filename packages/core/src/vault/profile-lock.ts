import { join } from 'node:path';
import Database from 'better-sqlite3-multiple-ciphers';
import { isSqliteCode, type Db } from './sqlcipher';
import { VaultError } from './vault-error';

export const LOCK_FILE_NAME = 'profile.lock';

/**
 * One running DiscordOpus per profile (VAULT-04), with an OS-level lock.
 *
 * Node has no flock(); SQLite does the same job portably: `profile.lock` is an empty,
 * unencrypted SQLite file that we open with `locking_mode = EXCLUSIVE` and hold an exclusive
 * lock on for as long as the profile is open (fcntl byte-range locks on POSIX, LockFileEx on
 * Windows). The kernel drops the lock when the process ends, however it ends, so a crashed or
 * SIGKILLed instance never leaves a stale lock behind, and there is no pid file to second-guess.
 * SQLite also tracks these locks within one process, so a second open in the same process is
 * refused too.
 */
export class ProfileLock {
  #db: Db | null;

  private constructor(db: Db) {
    this.#db = db;
  }

  /**
   * Take the lock on `dir` (which must exist) or throw PROFILE_IN_USE. `fileName`: another lock
   * file in the same folder, for a holder other than the vault (the desktop launcher's).
   */
  static acquire(dir: string, fileName: string = LOCK_FILE_NAME): ProfileLock {
    const db = new Database(join(dir, fileName), { timeout: 0 });
    try {
      db.pragma('journal_mode = MEMORY'); // never a -journal file beside the lock
      db.pragma('locking_mode = EXCLUSIVE');
      db.exec('BEGIN EXCLUSIVE; COMMIT;');
      return new ProfileLock(db);
    } catch (err) {
      db.close();
      if (isSqliteCode(err, 'SQLITE_BUSY') || isSqliteCode(err, 'SQLITE_LOCKED')) throw VaultError.profileInUse(dir);
      throw err;
    }
  }

  get held(): boolean {
    return this.#db !== null;
  }

  release(): void {
    this.#db?.close();
    this.#db = null;
  }
}

import sqlite3 from '@journeyapps/sqlcipher';

/**
 * An independent SQLCipher 4 reader (@journeyapps/sqlcipher: SQLCipher's own community build,
 * a different code base from SQLite3MultipleCiphers), used to prove the vault's file format.
 */
export class SqlcipherReader {
  readonly #db: sqlite3.Database;

  private constructor(db: sqlite3.Database) {
    this.#db = db;
  }

  static async open(path: string, rawKeyHex: string): Promise<SqlcipherReader> {
    const db = await new Promise<sqlite3.Database>((resolve, reject) => {
      const handle = new sqlite3.Database(path, sqlite3.OPEN_READWRITE, (err) => (err ? reject(err) : resolve(handle)));
    });
    const reader = new SqlcipherReader(db);
    // A wrong key is an expected outcome in some tests: keep SQLCipher's own logger quiet.
    await reader.all('PRAGMA cipher_log_level = NONE');
    await reader.all('PRAGMA cipher_compatibility = 4');
    await reader.all(`PRAGMA key = "x'${rawKeyHex}'"`);
    return reader;
  }

  all<T = Record<string, unknown>>(sql: string, params: unknown[] = []): Promise<T[]> {
    return new Promise((resolve, reject) => {
      this.#db.all(sql, params, (err: Error | null, rows: T[]) => (err ? reject(err) : resolve(rows)));
    });
  }

  close(): Promise<void> {
    return new Promise((resolve, reject) => this.#db.close((err) => (err ? reject(err) : resolve())));
  }
}

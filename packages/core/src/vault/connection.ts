import type Database from 'better-sqlite3-multiple-ciphers';
import type { Db } from './sqlcipher';
import { VaultError } from './vault-error';

type Statement = Database.Statement<unknown[], unknown>;

/**
 * The vault's one database connection, shared by the stores. Changing the passphrase swaps
 * the underlying connection (a new file is renamed into place), so stores hold this object,
 * never a `Database`, and prepared statements are cached per connection.
 */
export class Connection {
  #db: Db | null;
  readonly #statements = new Map<string, Statement>();

  constructor(db: Db) {
    this.#db = db;
  }

  get db(): Db {
    if (this.#db === null) throw VaultError.closed();
    return this.#db;
  }

  get isOpen(): boolean {
    return this.#db !== null;
  }

  prepare(sql: string): Statement {
    let statement = this.#statements.get(sql);
    if (!statement) {
      statement = this.db.prepare(sql);
      this.#statements.set(sql, statement);
    }
    return statement;
  }

  /** Run `fn` in one write transaction (BEGIN IMMEDIATE); it commits when `fn` returns. */
  transaction<T>(fn: () => T): T {
    return this.db.transaction(fn).immediate();
  }

  /** Close the current connection; `replace` may give it a new one. */
  detach(): Db | null {
    const db = this.#db;
    this.#statements.clear();
    this.#db = null;
    return db;
  }

  replace(db: Db): void {
    this.#statements.clear();
    this.#db = db;
  }
}

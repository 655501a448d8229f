/**
 * `npm run bench:vault` — the encrypted vault's costs on this machine (VAULT-01, CONT-01/02).
 *
 *   unlock           scrypt at the default cost, alone and as a whole Vault.unlock
 *   10,000 inserts   vault.contacts.add, each its own committed transaction (WAL,
 *                    synchronous=FULL), against the same ContactsStore code on an unencrypted
 *                    database with the same schema and pragmas (the two take turns, 500 at a
 *                    time, so drifting disk speed hits both): the ratio is SQLCipher's cost
 *   list 10,000      vault.contacts.list(), against the same on the unencrypted database
 *   bulk             10,000 adds in one transaction (no fsync per row: encryption cost alone),
 *                    on a second encrypted database opened like the vault's
 *
 * `npm run bench:vault -- --record` also appends the figures to bench/RESULTS.md.
 * Files go to a fresh folder under $TMPDIR (or --dir DIR), removed afterwards.
 */
import { randomBytes } from 'node:crypto';
import { appendFileSync, existsSync, mkdtempSync, rmSync, statfsSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import Database from 'better-sqlite3-multiple-ciphers';
import { ContactsStore } from '../packages/core/src/contacts/contacts-store';
import { Identity } from '../packages/core/src/identity/identity';
import { Connection } from '../packages/core/src/vault/connection';
import { DEFAULT_SCRYPT, deriveKey } from '../packages/core/src/vault/kdf';
import { runMigrations } from '../packages/core/src/vault/migrations/run-migrations';
import { configureConnection, openEncrypted, type Db } from '../packages/core/src/vault/sqlcipher';
import { Vault } from '../packages/core/src/vault/vault';

const { values: args } = parseArgs({ options: { record: { type: 'boolean', default: false }, dir: { type: 'string' } } });
const CONTACTS = 10_000;
const PASSPHRASE = 'bench correct horse battery staple';
const root = mkdtempSync(join(args.dir ?? tmpdir(), 'dopus-bench-'));

const FS_TYPES: Record<number, string> = { 0xef53: 'ext4', 0x58465342: 'xfs', 0x9123683e: 'btrfs', 0x01021994: 'tmpfs', 0x794c7630: 'overlayfs' };
const fsType = FS_TYPES[statfsSync(root).type] ?? `0x${statfsSync(root).type.toString(16)}`;
const machine = `${cpus()[0]?.model ?? 'unknown CPU'}, ${cpus().length} cores, ${Math.round(totalmem() / 2 ** 30)} GiB, node ${process.version}, ${process.platform}, ${fsType} (${root})`;
console.log(`machine: ${machine}`);

async function time<T>(fn: () => T | Promise<T>): Promise<[T, number]> {
  const start = performance.now();
  const result = await fn();
  return [result, performance.now() - start];
}

function middle(times: number[]): number {
  return [...times].sort((a, b) => a - b)[Math.floor(times.length / 2)]!;
}

async function median(runs: number, fn: () => unknown): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) times.push((await time(fn))[1]);
  return middle(times);
}

/** A contacts store on its own database, set up as the vault's is: same schema, pragmas and code. */
function standaloneStore(db: Db, ownPublicKey: Uint8Array): { store: ContactsStore; conn: Connection } {
  db.pragma('locking_mode = EXCLUSIVE');
  configureConnection(db);
  runMigrations(db);
  const conn = new Connection(db);
  return { store: new ContactsStore({ connection: conn, ownPublicKey }), conn };
}

const rows: [string, string][] = [];
const ms = (n: number) => `${n.toFixed(n < 10 ? 2 : 0)} ms`;
const report = (name: string, encrypted: number, plain: number | null, note = '') => {
  const ratio = plain === null ? '' : `${(encrypted / plain).toFixed(2)}×`;
  rows.push([name, `${ms(encrypted)} | ${plain === null ? '—' : ms(plain)} | ${ratio} | ${note}`]);
  console.log(`${name.padEnd(44)} ${ms(encrypted).padStart(10)}  ${plain === null ? '' : `plain ${ms(plain)}  ratio ${ratio}`}  ${note}`);
};

try {
  const peers = Array.from({ length: 2 * CONTACTS }, (_, i) => Identity.create(`peer ${i}`).userId);
  const dir = join(root, 'profile');

  // Unlock, with the real default KDF cost.
  const salt = new Uint8Array(16).fill(7);
  report(`scrypt N=2^${Math.log2(DEFAULT_SCRYPT.N)} r=${DEFAULT_SCRYPT.r} p=${DEFAULT_SCRYPT.p} (median of 5)`, await median(5, () => deriveKey(PASSPHRASE, salt, DEFAULT_SCRYPT)), null);
  const [created, createMs] = await time(() => Vault.create({ dir, passphrase: PASSPHRASE, displayName: 'Bench' }));
  created.close();
  report('Vault.create (KDF included)', createMs, null);
  report('Vault.unlock, empty vault (median of 5)', await median(5, async () => (await Vault.unlock({ dir, passphrase: PASSPHRASE })).close()), null);

  const vault = await Vault.unlock({ dir, passphrase: PASSPHRASE });
  const plain = standaloneStore(new Database(join(root, 'plain.db')), vault.identity.publicKey);

  // 10,000 inserts, each committed (an fsync per commit). Disk speed on a VM drifts, so the two
  // stores take turns, 500 inserts at a time, and each sums its own time.
  let encInsert = 0;
  let plainInsert = 0;
  for (let start = 0; start < CONTACTS; start += 500) {
    const chunk = peers.slice(start, start + 500);
    encInsert += (await time(() => chunk.forEach((id) => vault.contacts.add(id))))[1];
    plainInsert += (await time(() => chunk.forEach((id) => plain.store.add(id))))[1];
  }
  report(`${CONTACTS} contacts.add, one commit each`, encInsert, plainInsert, `${Math.round((encInsert * 1000) / CONTACTS)} µs per committed insert`);

  // List 10,000.
  const encLists: number[] = [];
  const plainLists: number[] = [];
  for (let i = 0; i < 11; i++) {
    encLists.push((await time(() => vault.contacts.list()))[1]);
    plainLists.push((await time(() => plain.store.list()))[1]);
  }
  const encList = middle(encLists);
  const plainList = middle(plainLists);
  if (vault.contacts.list().length !== CONTACTS) throw new Error('list length');
  report(`contacts.list() of ${CONTACTS} (median of 11)`, encList, plainList);

  vault.close();
  plain.conn.detach()?.close();
  const [, unlockFull] = await time(async () => (await Vault.unlock({ dir, passphrase: PASSPHRASE })).close());
  report(`Vault.unlock with ${CONTACTS} contacts`, unlockFull, null);

  // 10,000 in one transaction: the cost of encryption without an fsync per row.
  const more = peers.slice(CONTACTS);
  const enc = standaloneStore(openEncrypted(join(root, 'bulk-enc.db'), randomBytes(32), { create: true }), randomBytes(32));
  const plainBulkStore = standaloneStore(new Database(join(root, 'bulk-plain.db')), randomBytes(32));
  const [, encBulk] = await time(() => enc.conn.transaction(() => more.forEach((id) => enc.store.add(id))));
  const [, plainBulk] = await time(() => plainBulkStore.conn.transaction(() => more.forEach((id) => plainBulkStore.store.add(id))));
  report(`${CONTACTS} contacts.add in one transaction`, encBulk, plainBulk);
  enc.conn.detach()?.close();
  plainBulkStore.conn.detach()?.close();

  if (args.record) {
    const file = join(import.meta.dirname, 'RESULTS.md');
    if (!existsSync(file)) appendFileSync(file, '# Benchmark results\n\nEach section is one run, appended by the benchmark that produced it.\n');
    const table = rows.map(([name, cells]) => `| ${name} | ${cells} |`).join('\n');
    appendFileSync(
      file,
      `\n## Vault (\`npm run bench:vault\`), ${new Date().toISOString().slice(0, 10)}\n\n` +
        `Machine: ${machine.replace(` (${root})`, '')}.\n\n` +
        '| measurement | SQLCipher vault | unencrypted baseline | ratio | note |\n|---|---|---|---|---|\n' +
        `${table}\n`,
    );
    console.log(`appended to ${file}`);
  }
} finally {
  rmSync(root, { recursive: true, force: true });
}

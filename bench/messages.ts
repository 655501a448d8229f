/**
 * `npm run bench:messages` — direct messages on this machine (MSG-01, MSG-02, MSG-05).
 *
 *   throughput   N messages from alice to bob, each side a real vault (SQLCipher, WAL,
 *                synchronous=FULL) and a MessageService, over an in-process link that hands
 *                frames across as JSON text on the next turn of the event loop. Counted when
 *                bob has stored the last one and alice has stored bob's ack for it ("persisted
 *                on both sides"). Two ways to send: one commit per message (a person typing)
 *                and batches of 100 in one commit (a bot, `sendMany`). Baseline in the same
 *                run: a plain (unencrypted) SQLite insert loop, same pragmas, same batching.
 *   open         a conversation of 100,000 messages (half sent, half received), in a database
 *                set up as the vault's (same migrations, pragmas and MessageStore code): open the
 *                file, then the first page (50), the unread count and the first-unread cursor;
 *                cold (first call after opening) and warm (median of 20). Baseline: the same
 *                on an unencrypted database with the same content.
 *   search       MSG-05 over the same 100,000 messages, FTS5 (a rare and a common word, median
 *                of 20), against a LIKE scan of the same text (what a store without an index does).
 *
 *   cores        two real client cores on loopback (bench/messages-cores.ts): message round
 *                trip p50/p99 against a bare data channel's in the same run, and sustained
 *                messages/s with both sides writing at once.
 *
 * `--part throughput|history|cores` runs one part (default all).
 * The KDF is the cheap test cost (the unlock's scrypt is measured by bench:vault).
 * `npm run bench:messages -- --record` appends the figures to bench/RESULTS.md.
 */
import { appendFileSync, mkdtempSync, rmSync, statfsSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import Database from 'better-sqlite3-multiple-ciphers';
import { randomBytes } from 'node:crypto';
import { bytesToBase64url } from '@discordopus/protocol';
import { encodeMessageFrame, type MessageFrame, type SequencedFrame } from '@discordopus/protocol/messages';
import { MessageService } from '../packages/core/src/messages/message-service';
import { MessageStore } from '../packages/core/src/messages/message-store';
import { Connection } from '../packages/core/src/vault/connection';
import { TEST_ONLY_CHEAP_SCRYPT } from '../packages/core/src/vault/kdf';
import { runMigrations } from '../packages/core/src/vault/migrations/run-migrations';
import { configureConnection, openEncrypted, type Db } from '../packages/core/src/vault/sqlcipher';
import { Vault } from '../packages/core/src/vault/vault';
import { shutdownLinkEngine } from '../packages/core/src/links/engine/ndc-transport';
import { BURST, measureCores, percentile, SENDERS } from './messages-cores';

const { values: args } = parseArgs({
  options: {
    record: { type: 'boolean', default: false },
    dir: { type: 'string' },
    messages: { type: 'string', default: '20000' },
    part: { type: 'string', default: 'all' },
    rounds: { type: 'string', default: '200' },
    'per-side': { type: 'string', default: '2000' },
  },
});
const N = Number(args.messages);
const N_SINGLE = Math.min(N, 2_000);
const HISTORY = 100_000;
const PASSPHRASE = 'bench correct horse battery staple';
const root = mkdtempSync(join(args.dir ?? tmpdir(), 'dopus-bench-msg-'));
const FS_TYPES: Record<number, string> = { 0xef53: 'ext4', 0x58465342: 'xfs', 0x9123683e: 'btrfs', 0x01021994: 'tmpfs', 0x794c7630: 'overlayfs' };
const fsType = FS_TYPES[statfsSync(root).type] ?? `0x${statfsSync(root).type.toString(16)}`;
const machine = `${cpus()[0]?.model ?? 'unknown CPU'}, ${cpus().length} cores, ${Math.round(totalmem() / 2 ** 30)} GiB, node ${process.version}, ${process.platform}, ${fsType}; load average at start ${loadavg()[0]!.toFixed(1)}`;
console.log(`machine: ${machine}`);

const rows: string[] = [];
const fmt = (n: number, unit: string) => `${n >= 100 ? Math.round(n).toLocaleString('en-US') : n.toFixed(2)} ${unit}`;
function report(name: string, value: string, baseline: string, ratio: string, goal: string): void {
  rows.push(`| ${name} | ${value} | ${baseline} | ${ratio} | ${goal} |`);
  console.log(`${name.padEnd(52)} ${value.padStart(14)}   baseline ${baseline.padStart(14)}   ${ratio.padStart(7)}   ${goal}`);
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const nextTurn = () => new Promise<void>((r) => setImmediate(r));

async function vault(name: string): Promise<Vault> {
  return Vault.create({ dir: join(root, name), passphrase: PASSPHRASE, displayName: name, kdf: TEST_ONLY_CHEAP_SCRYPT });
}

/** Two services joined in process: frames cross as JSON text on the next turn of the loop. */
function link(a: { key: string; service: MessageService }, b: { key: string; service: MessageService }): void {
  const pipe = (to: { service: MessageService }, fromKey: string) => {
    let queue: string[] = [];
    return {
      send(frame: MessageFrame): boolean {
        if (queue.length === 0) {
          setImmediate(() => {
            const batch = queue;
            queue = [];
            for (const text of batch) to.service.handleFrame(fromKey, text);
          });
        }
        queue.push(encodeMessageFrame(frame));
        return true;
      },
    };
  };
  a.service.handleLinkOpen(b.key, pipe(b, a.key));
  b.service.handleLinkOpen(a.key, pipe(a, b.key));
}

async function throughput(label: string, count: number, batch: number): Promise<number> {
  const alice = await vault(`alice-${label}`);
  const bob = await vault(`bob-${label}`);
  const a = { key: alice.messages.ownKey, service: new MessageService({ store: alice.messages }) };
  const b = { key: bob.messages.ownKey, service: new MessageService({ store: bob.messages }) };
  link(a, b);
  await nextTurn();
  await nextTurn();
  let acked = 0;
  a.service.on('receipt', (e) => {
    if (e.state === 'delivered') acked = e.upToSeq;
  });
  const start = performance.now();
  for (let sent = 0; sent < count; sent += batch) {
    const texts = Array.from({ length: Math.min(batch, count - sent) }, (_, i) => `message ${sent + i} with a few ordinary words in it`);
    if (batch === 1) a.service.send(b.key, texts[0]!);
    else a.service.sendMany(b.key, texts);
    await nextTurn(); // let the link and the receiver run, as a real event loop would
  }
  while (acked < count) await nextTurn();
  const seconds = (performance.now() - start) / 1000;
  const received = bob.messages.syncPoints(a.key).received;
  if (received !== count) throw new Error(`bob stored ${received} of ${count}`);
  a.service.close();
  b.service.close();
  alice.close();
  bob.close();
  return count / seconds;
}

function plainInsertRate(count: number, batch: number, file = `plain-${batch}.db`): number {
  const db = new Database(join(root, file));
  db.pragma('locking_mode = EXCLUSIVE');
  configureConnection(db);
  db.exec('CREATE TABLE m (rowid INTEGER PRIMARY KEY, id BLOB UNIQUE, seq INTEGER, text TEXT, sent_at INTEGER) STRICT');
  const insert = db.prepare('INSERT INTO m (id, seq, text, sent_at) VALUES (?, ?, ?, ?)');
  const start = performance.now();
  for (let done = 0; done < count; done += batch) {
    db.transaction(() => {
      for (let i = done; i < Math.min(count, done + batch); i++) insert.run(Buffer.from(crypto.getRandomValues(new Uint8Array(16))), i, `message ${i} with a few ordinary words in it`, Date.now());
    }).immediate();
  }
  const rate = count / ((performance.now() - start) / 1000);
  db.close();
  return rate;
}

const WORDS = ['lorem', 'ipsum', 'dolor', 'amet', 'river', 'mountain', 'coffee', 'tuesday', 'meeting', 'project', 'holiday', 'pizza'];
const OWN_KEY = new Uint8Array(32).fill(8);
const PEER_WIRE = bytesToBase64url(new Uint8Array(32).fill(9));
const PEER = Buffer.from(new Uint8Array(32).fill(9)).toString('hex');
const KEY = randomBytes(32);

/** A database set up as the vault's (encrypted or not), with the MessageStore over it. */
function openStore(path: string, encrypted: boolean, create: boolean): { db: Db; store: MessageStore } {
  const db = encrypted ? openEncrypted(path, KEY, { create }) : new Database(path);
  if (!encrypted) db.pragma('locking_mode = EXCLUSIVE');
  configureConnection(db);
  runMigrations(db);
  return { db, store: new MessageStore({ connection: new Connection(db), ownPublicKey: OWN_KEY }) };
}

/** 100,000 messages: half sent (sendMany), half received (applyIncoming), 120 left unread. */
function fill(store: MessageStore): void {
  let seq = 0;
  for (let i = 0; i < HISTORY / 2; i += 1000) {
    const texts = Array.from({ length: 1000 }, (_, j) => `${WORDS[(i + j) % WORDS.length]} ${WORDS[(i * 7 + j) % 11]} note ${i + j}${(i + j) % 5000 === 17 ? ' zebracorn' : ''}`);
    store.sendMany(PEER, texts);
    const frames: SequencedFrame[] = texts.map((text) => ({
      type: 'message.send',
      seq: ++seq,
      author: PEER_WIRE,
      id: bytesToBase64url(randomBytes(16)),
      sentAt: Date.now(),
      text: `re: ${text}`,
      replyTo: null,
      editedAt: null,
      deleted: false,
    }));
    store.applyIncoming(PEER, PEER_WIRE, frames);
  }
  store.markRead(PEER, seq - 120);
}

interface OpenFigures {
  cold: number;
  warm: number;
  coldSearch: number;
  rare: number;
  common: number;
  like: number;
  hits: number;
}

function measureOpen(path: string, encrypted: boolean): OpenFigures {
  const t0 = performance.now();
  const { db, store } = openStore(path, encrypted, false);
  const page = store.history(PEER);
  store.unreadCount(PEER);
  store.firstUnreadCursor(PEER);
  const cold = performance.now() - t0;
  if (page.messages.length !== 50) throw new Error('the first page is not 50 messages');
  const warm: number[] = [];
  for (let i = 0; i < 20; i++) {
    const t = performance.now();
    store.history(PEER);
    store.unreadCount(PEER);
    store.firstUnreadCursor(PEER);
    warm.push(performance.now() - t);
  }
  const s0 = performance.now();
  const hits = store.search(PEER, 'zebracorn').length;
  const coldSearch = performance.now() - s0;
  const rare: number[] = [];
  const common: number[] = [];
  const like: number[] = [];
  for (let i = 0; i < 20; i++) {
    let t = performance.now();
    store.search(PEER, 'zebracorn');
    rare.push(performance.now() - t);
    t = performance.now();
    store.search(PEER, 'coffee meet');
    common.push(performance.now() - t);
  }
  const scan = db.prepare("SELECT rowid FROM messages WHERE conversation_id = 1 AND text LIKE '%zebracorn%' ORDER BY rowid DESC LIMIT 50");
  for (let i = 0; i < 5; i++) {
    const t = performance.now();
    scan.all();
    like.push(performance.now() - t);
  }
  db.close();
  return { cold, warm: median(warm), coldSearch, rare: median(rare), common: median(common), like: median(like), hits };
}

try {
  // 1. Throughput.
  if (args.part === 'all' || args.part === 'throughput') await throughputPart();
  if (args.part === 'all' || args.part === 'history') historyPart();
  if (args.part === 'all' || args.part === 'cores') await coresPart();
  if (args.record) {
    const date = new Date().toISOString().slice(0, 10);
    appendFileSync(
      new URL('./RESULTS.md', import.meta.url),
      `\n## Direct messages (\`npm run bench:messages\`), ${date}\n\nMachine: ${machine}. Databases in ${fsType} under $TMPDIR; WAL, synchronous=FULL; throughput and history: the link is in process (frames cross as JSON text on the next event-loop turn); cores: two real client cores, a real server process, a real link on 127.0.0.1. Load average at the end: ${loadavg()[0]!.toFixed(1)}.\n\n| measurement | value | baseline in the same run | ratio | goal |\n|---|---|---|---|---|\n${rows.join('\n')}\n`,
    );
  }
} finally {
  rmSync(root, { recursive: true, force: true });
  await shutdownLinkEngine();
}

async function coresPart(): Promise<void> {
  const f = await measureCores(Number(args.rounds), Number(args['per-side']));
  const p = (xs: number[], q: number) => percentile(xs, q);
  report(`round trip between two real cores, p50 (${f.rtt.length} rounds)`, fmt(p(f.rtt, 0.5), 'ms'), fmt(p(f.bare, 0.5), `ms bare channel (${f.frameBytes} B)`), `${(p(f.rtt, 0.5) / p(f.bare, 0.5)).toFixed(1)}×`, '—');
  report('round trip between two real cores, p99', fmt(p(f.rtt, 0.99), 'ms'), fmt(p(f.bare, 0.99), 'ms bare channel'), `${(p(f.rtt, 0.99) / p(f.bare, 0.99)).toFixed(1)}×`, 'p99 < 20 ms');
  // Baselines, plain SQLite on the same disk: the same rows in commits of the group size the
  // grouped run had on average (one side's share), and one fsync'ed commit per row.
  const group = Math.max(1, Math.round(f.perSide / Math.max(1, f.groupCommits)));
  const plainGroup = plainInsertRate(f.perSide, group, 'plain-cores-group.db');
  const plain = plainInsertRate(f.perSide, 1, 'plain-cores.db');
  report(
    `sustained, real cores, both sides at once, group commit (${SENDERS} senders × bursts of ${BURST} per side, ${f.perSide.toLocaleString('en-US')} each; ${f.groupCommits} commits on alice, ~${group}/commit)`,
    fmt(f.sustained, 'msg/s'),
    fmt(plainGroup, `ins/s plain, ${group}/commit`),
    `${(f.sustained / plainGroup).toFixed(2)}×`,
    '≥ 5,000/s',
  );
  report(`sustained, real cores, both sides at once, one commit per message (sendMessage)`, fmt(f.sustainedSingle, 'msg/s'), fmt(plain, 'ins/s plain, 1/commit'), `${(f.sustainedSingle / plain).toFixed(2)}×`, '—');
}

async function throughputPart(): Promise<void> {
  const single = await throughput('single', N_SINGLE, 1);
  const plainSingle = plainInsertRate(N_SINGLE, 1);
  report(`sustained, one commit per message (${N_SINGLE.toLocaleString('en-US')} msgs)`, fmt(single, 'msg/s'), fmt(plainSingle, 'ins/s'), `${(single / plainSingle).toFixed(2)}×`, '≥ 5,000/s');
  const batched = await throughput('batched', N, 100);
  const plainBatched = plainInsertRate(N, 100);
  report(`sustained, sendMany ×100 (${N.toLocaleString('en-US')} msgs)`, fmt(batched, 'msg/s'), fmt(plainBatched, 'ins/s'), `${(batched / plainBatched).toFixed(2)}×`, '≥ 5,000/s');
}

function historyPart(): void {
  // 2. and 3. Open and search a 100,000-message conversation, encrypted and plain.
  const encPath = join(root, 'big.db');
  const plainPath = join(root, 'big-plain.db');
  for (const [path, encrypted] of [[encPath, true], [plainPath, false]] as const) {
    const { db, store } = openStore(path, encrypted, true);
    fill(store);
    db.close();
  }
  const enc = measureOpen(encPath, true);
  const plain = measureOpen(plainPath, false);
  const vs = (a: number, b: number) => `${(a / b).toFixed(2)}×`;
  report('open 100,000-message conversation → first page, cold', fmt(enc.cold, 'ms'), fmt(plain.cold, 'ms plain'), vs(enc.cold, plain.cold), '< 100 ms');
  report('first page + unread count, warm (median of 20)', fmt(enc.warm, 'ms'), fmt(plain.warm, 'ms plain'), vs(enc.warm, plain.warm), '< 100 ms');
  report(`search, rare word (${enc.hits} hits), first after opening`, fmt(enc.coldSearch, 'ms'), fmt(plain.coldSearch, 'ms plain'), vs(enc.coldSearch, plain.coldSearch), '< 50 ms');
  report('search, rare word, FTS5 (median of 20)', fmt(enc.rare, 'ms'), fmt(enc.like, 'ms LIKE scan'), vs(enc.rare, enc.like), '< 50 ms');
  report('search, two common word prefixes (50 newest), FTS5', fmt(enc.common, 'ms'), fmt(plain.common, 'ms plain'), vs(enc.common, plain.common), '< 50 ms');
}

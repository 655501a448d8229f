/**
 * `npm run bench:files` — file transfer (FILE-01, FILE-02) on loopback, in one process:
 *   - raw baseline in the same run: a bare node-datachannel channel on the same kind of pair,
 *     the same chunk size and buffer marks, bytes only (no disk, no hash, no vault);
 *   - the engine: a 1 GiB file (BENCH_FILE_MIB) offered, accepted, streamed from disk, written
 *     to a partial file with fsynced checkpoints, hashed and renamed; time from accept to the
 *     receiver's "complete";
 *   - RSS growth during the transfer (sender and receiver share this process: one figure for both);
 *   - chat round trips (a small frame every 20 ms on another channel, echoed) idle and during
 *     the transfer: p50 / p99.
 */
import { randomBytes } from 'node:crypto';
import { closeSync, mkdirSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import type { DataChannel } from 'node-datachannel';
import { transferIdOfLabel } from '@discordopus/protocol/files';
import { FileStore } from '../packages/core/src/files/file-store';
import { FileTransferService } from '../packages/core/src/files/file-transfer-service';
import { openFilesVault } from '../packages/core/src/files/files-vault.test-helper';
import { openLoopbackPairWithRetry, type LoopbackPair } from '../packages/core/src/files/loopback-pair.test-helper';
import { NdcFileChannel, openNdcFileChannel } from '../packages/core/src/files/ndc-file-channel';
import { DEFAULT_FILE_TUNABLES } from '../packages/core/src/files/transfer-tunables';
import { appendResults, envInt, mib, ms, percentiles, runBenchmark } from './lib/report';

const MiB = 1024 * 1024;
const SIZE = envInt('BENCH_FILE_MIB', 1024) * MiB;
// Overridable to compare settings: BENCH_FILE_CHUNK_KIB, BENCH_FILE_HIGH_KIB, BENCH_FILE_LOW_KIB, BENCH_FILE_WINDOW_KIB.
const CHUNK = envInt('BENCH_FILE_CHUNK_KIB', DEFAULT_FILE_TUNABLES.chunkBytes / 1024) * 1024;
const HIGH = envInt('BENCH_FILE_HIGH_KIB', DEFAULT_FILE_TUNABLES.highWaterBytes / 1024) * 1024;
const LOW = envInt('BENCH_FILE_LOW_KIB', DEFAULT_FILE_TUNABLES.lowWaterBytes / 1024) * 1024;
const WINDOW = envInt('BENCH_FILE_WINDOW_KIB', DEFAULT_FILE_TUNABLES.receiveWindowBytes / 1024) * 1024;
const tunables = { chunkBytes: CHUNK, highWaterBytes: HIGH, lowWaterBytes: LOW, receiveWindowBytes: WINDOW };
const PING_EVERY_MS = 20;

const rss = (): number => process.memoryUsage().rss;
const until = async (check: () => boolean, what: string, timeoutMs: number): Promise<void> => {
  const deadline = performance.now() + timeoutMs;
  while (!check()) {
    if (performance.now() > deadline) throw new Error(`timed out: ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
};

/** Echo chat frames on b; measure round trips from a. */
class Chat {
  readonly rtts: number[] = [];
  #timer: ReturnType<typeof setInterval> | null = null;
  #sent = new Map<number, number>();
  #n = 0;
  constructor(private readonly dc: DataChannel) {
    dc.onMessage((m) => {
      const n = Number(String(m));
      const t0 = this.#sent.get(n);
      if (t0 !== undefined) this.rtts.push(performance.now() - t0);
      this.#sent.delete(n);
    });
  }
  start(): void {
    this.rtts.length = 0;
    this.#sent.clear(); // echoes of an earlier phase still on their way are not counted
    this.#timer = setInterval(() => {
      const n = ++this.#n;
      this.#sent.set(n, performance.now());
      this.dc.sendMessage(String(n));
    }, PING_EVERY_MS);
  }
  stop(): void {
    if (this.#timer) clearInterval(this.#timer);
  }
}

async function openChannel(pair: LoopbackPair, label: string, received: Map<string, DataChannel>): Promise<[DataChannel, DataChannel]> {
  const a = pair.a.createDataChannel(label);
  a.onClosed(() => {});
  await new Promise<void>((resolve) => {
    a.onOpen(resolve);
    if (a.isOpen()) resolve();
  });
  await until(() => received.has(label), `${label} at b`, 10_000);
  return [a, received.get(label)!];
}

/** The raw figure: SIZE bytes in CHUNK messages with the same marks, counted at b. */
async function rawThroughput(a: DataChannel, b: DataChannel): Promise<number> {
  let got = 0;
  b.onMessage((m) => {
    got += typeof m === 'string' ? m.length : m.byteLength;
  });
  const chunk = randomBytes(CHUNK);
  let sent = 0;
  const t0 = performance.now();
  a.setBufferedAmountLowThreshold(LOW);
  const pump = (): void => {
    while (sent < SIZE && a.bufferedAmount() < HIGH) {
      a.sendMessageBinary(chunk);
      sent += CHUNK;
    }
  };
  a.onBufferedAmountLow(pump);
  pump();
  await until(() => got >= SIZE, 'raw bytes', 600_000);
  return (SIZE / MiB) / ((performance.now() - t0) / 1000);
}

function writeSource(path: string): void {
  const block = randomBytes(16 * MiB);
  const fd = openSync(path, 'w');
  for (let at = 0; at < SIZE; at += block.length) {
    block.writeUInt32BE(at / MiB, 0); // no two blocks the same
    writeSync(fd, block, 0, Math.min(block.length, SIZE - at));
  }
  closeSync(fd);
}

async function main(): Promise<void> {
  const root = mkdtempSync(join(tmpdir(), 'dopus-bench-files-'));
  const pairs: LoopbackPair[] = [];
  try {
    const aliceHex = randomBytes(32).toString('hex');
    const bobHex = randomBytes(32).toString('hex');
    const channelsAtB = new Map<string, DataChannel>();
    const services: { alice: FileTransferService | null; bob: FileTransferService | null } = { alice: null, bob: null };
    const pair = await openLoopbackPairWithRetry('bench', {
      a: (dc) => {
        if (transferIdOfLabel(dc.getLabel()) !== null) services.alice!.handleIncomingChannel(bobHex, new NdcFileChannel(dc));
        else dc.close();
      },
      b: (dc) => {
        dc.onClosed(() => {});
        if (dc.getLabel() === 'chat') dc.onMessage((m) => dc.sendMessage(String(m)));
        channelsAtB.set(dc.getLabel(), dc);
      },
    });
    pairs.push(pair);

    const [chatA] = await openChannel(pair, 'chat', channelsAtB);
    const chat = new Chat(chatA);

    // 1. Raw baseline (chat round trips measured during it too: what the transport alone costs).
    const [rawA, rawB] = await openChannel(pair, 'raw', channelsAtB);
    chat.start();
    const raw = await rawThroughput(rawA, rawB);
    chat.stop();
    const rawChat = percentiles(chat.rtts);
    rawA.close();
    console.log(`raw: ${raw.toFixed(1)} MiB/s; chat during it p50 ${ms(rawChat.p50)}, p99 ${ms(rawChat.p99)}`);

    // 2. The engine.
    mkdirSync(join(root, 'out'));
    const source = join(root, 'out', 'big.bin');
    writeSource(source);
    const connA = openFilesVault(join(root, 'alice.db'), randomBytes(32));
    const connB = openFilesVault(join(root, 'bob.db'), randomBytes(32));
    const common = { tunables, maxReceiveBytes: 2 ** 40, autoAcceptVerifiedMaxBytes: 0, isVerified: () => false };
    const alice = new FileTransferService({
      ...common,
      store: new FileStore({ connection: connA }),
      openChannel: () => Promise.reject(new Error('alice only sends')),
      sendControl: (_peer, frame) => setImmediate(() => bob.handleControl(aliceHex, JSON.stringify(frame))),
      downloadsDir: join(root, 'alice-downloads'),
    });
    const bob = new FileTransferService({
      ...common,
      store: new FileStore({ connection: connB }),
      openChannel: (_peer, label) => openNdcFileChannel(pair.b, label),
      sendControl: (_peer, frame) => setImmediate(() => alice.handleControl(bobHex, JSON.stringify(frame))),
      downloadsDir: join(root, 'Downloads', 'DiscordOpus'),
    });
    services.alice = alice;
    services.bob = bob;

    chat.start();
    await new Promise((r) => setTimeout(r, 2000));
    chat.stop();
    const idle = percentiles(chat.rtts);

    const h0 = performance.now();
    const offer = await alice.offerFile({ peer: bobHex, path: source });
    const hashMs = performance.now() - h0;
    await until(() => bob.get(offer.id)?.state === 'offered', 'offer at bob', 10_000);

    const rssBefore = rss();
    let rssMax = rssBefore;
    const sampler = setInterval(() => (rssMax = Math.max(rssMax, rss())), 100);
    const loopDelay = monitorEventLoopDelay({ resolution: 5 });
    loopDelay.enable();
    chat.start();
    const t0 = performance.now();
    bob.accept(offer.id);
    await until(() => bob.get(offer.id)?.state === 'complete' || bob.get(offer.id)?.state === 'failed', 'transfer', 1_800_000);
    const seconds = (performance.now() - t0) / 1000;
    chat.stop();
    loopDelay.disable();
    clearInterval(sampler);
    console.log(`event-loop delay during the transfer: p50 ${ms(loopDelay.percentile(50) / 1e6)}, p99 ${ms(loopDelay.percentile(99) / 1e6)}, max ${ms(loopDelay.max / 1e6)}`);
    const record = bob.get(offer.id)!;
    if (record.state !== 'complete') throw new Error(`the transfer failed: ${record.failure?.code} ${record.failure?.message}`);
    await until(() => alice.get(offer.id)?.state === 'complete', 'complete at alice', 10_000);
    const busy = percentiles(chat.rtts);
    const engine = SIZE / MiB / seconds;
    alice.close();
    bob.close();
    connA.detach()?.close();
    connB.detach()?.close();

    const ok = (x: boolean): string => (x ? 'met' : '**missed**');
    appendResults('File transfer (`npm run bench:files`)', [
      `${mib(SIZE)} on a loopback node-datachannel pair (bindAddress 127.0.0.1), both ends in this process; chunks of ${CHUNK / 1024} KiB, sender buffer marks ${HIGH / 1024} KiB high / ${LOW / 1024} KiB low (engine defaults unless overridden), receiver checkpoint (fsync + vault row) every ${DEFAULT_FILE_TUNABLES.checkpointBytes / MiB} MiB. Engine time = from accept to the receiver's "complete": source read from disk, written to the partial file, SHA-256 of the whole file checked, renamed; the sender's SHA-256 of the offer (${(hashMs / 1000).toFixed(1)} s) is before it and not counted.`,
      '',
      '| measurement | value | goal |',
      '|---|---|---|',
      `| raw node-datachannel, same chunking, bytes only | ${raw.toFixed(1)} MiB/s | — |`,
      `| engine, ${mib(SIZE)} | ${engine.toFixed(1)} MiB/s = ${(engine / raw).toFixed(2)}× raw | ≥ 0.8× raw: ${ok(engine >= 0.8 * raw)}; ≥ 50 MiB/s: ${ok(engine >= 50)} |`,
      `| RSS growth during the transfer (sender + receiver in one process) | ${mib(rssMax - rssBefore)} (${mib(rssBefore)} → max ${mib(rssMax)}) | < 64 MiB: ${ok(rssMax - rssBefore < 64 * MiB)} |`,
      `| chat round trip, idle (${idle.count} frames) | p50 ${ms(idle.p50)}, p99 ${ms(idle.p99)} | — |`,
      `| chat round trip during the transfer (${busy.count} frames) | p50 ${ms(busy.p50)}, p99 ${ms(busy.p99)}, max ${ms(busy.max)} | — |`,
    ]);
  } finally {
    for (const p of pairs) p.close();
    rmSync(root, { recursive: true, force: true });
    // No ndc.cleanup() here: right after closing the pairs it aborted the process twice
    // (SIGBUS; then "napi_release_threadsafe_function … Assertion failed"); runBenchmark exits.
  }
}

runBenchmark(main);

/**
 * Load-generator process for bench:auth-rate: `concurrency` loops, each logging in a fresh
 * socket (TCP + upgrade + hello + Ed25519 proof + welcome) and closing it, for `durationMs`.
 */
import { serveWorker } from './fleet';
import { KeyRing } from './keys';
import { leanLogin, nowMs } from './lean-client';

const keys = new KeyRing('discordopus-bench-auth');

serveWorker({
  run: async (args: { url: string; concurrency: number; durationMs: number; keyOffset: number; sources: string[] }) => {
    for (let i = 0; i < args.concurrency; i++) keys.get(args.keyOffset + i);
    const t0 = nowMs();
    const end = t0 + args.durationMs;
    let ok = 0;
    let failed = 0;
    let n = 0;
    const loop = async (slot: number): Promise<void> => {
      while (nowMs() < end) {
        try {
          const ws = await leanLogin({ url: args.url, key: keys.get(args.keyOffset + slot), localAddress: args.sources[n++ % args.sources.length], timeoutMs: 10_000 });
          ok++;
          ws.terminate();
        } catch {
          failed++;
        }
      }
    };
    await Promise.all(Array.from({ length: args.concurrency }, (_, slot) => loop(slot)));
    return { ok, failed, elapsedMs: nowMs() - t0 };
  },
});

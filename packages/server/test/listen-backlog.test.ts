import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { startTestServer } from './helpers/test-server';

/** The backlog the kernel gave a listening TCP port (`ss` shows it as Send-Q of a LISTEN socket). */
function kernelBacklog(port: number): number {
  const line = execFileSync('ss', ['-Hltn', `sport = :${port}`], { encoding: 'utf8' }).trim();
  const fields = line.split(/\s+/);
  return Number(fields[2]);
}

describe('listen backlog (INFR-05)', () => {
  it('INFR-05: the node listens with --listen-backlog, by default 4096 (or the kernel cap below it), not Node\'s 511', async () => {
    const cap = Number(readFileSync('/proc/sys/net/core/somaxconn', 'utf8').trim());
    const chosen = await startTestServer({ listenBacklog: 300 });
    const fallback = await startTestServer();
    try {
      expect(kernelBacklog(chosen.port)).toBe(Math.min(300, cap));
      expect(kernelBacklog(fallback.port)).toBe(Math.min(4096, cap));
    } finally {
      await Promise.all([chosen.close(), fallback.close()]);
    }
  });
});

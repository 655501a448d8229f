import { describe, expect, it } from 'vitest';
import { freePort } from './helpers/redis-process';
import { startTestServer } from './helpers/test-server';

describe('start-up failures are reported, and leave nothing running', () => {
  it('an unreachable Redis fails the start with a clear error', async () => {
    const port = await freePort();
    await expect(startTestServer({ redisUrl: `redis://127.0.0.1:${port}` })).rejects.toThrow(/cannot reach Redis/);
  });

  it('a port in use fails the start', async () => {
    const first = await startTestServer();
    try {
      await expect(startTestServer({ port: first.port })).rejects.toThrow(/EADDRINUSE/);
    } finally {
      await first.close();
    }
  });
});

import { CLOSE_CODES } from '@discordopus/protocol';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { makeKey, TestClient } from './helpers/test-client';
import { startServerProcess } from './helpers/server-process';

const bin = fileURLToPath(new URL('../bin/discordopus-server.mjs', import.meta.url));

describe('discordopus-server CLI (INFR-01)', () => {
  it('serves /healthz and /metrics, and on SIGTERM closes sockets with 1001 and exits 0', async () => {
    const proc = await startServerProcess(['--log-level', 'info', '--shutdown-timeout-ms', '2000'], { DISCORDOPUS_OFFLINE_GRACE_MS: '0' });
    try {
      expect(proc.url).toMatch(/^ws:\/\/127\.0\.0\.1:\d+$/);
      expect(await proc.http('/healthz')).toEqual({ status: 200, body: '{"status":"ok"}' });
      expect((await proc.http('/nope')).status).toBe(404);

      const a = await TestClient.login(proc.url, makeKey());
      const b = await TestClient.login(proc.url, makeKey());
      await a.setContacts([b.key]);
      await b.setContacts([a.key]);
      a.send({ type: 'signal.send', id: 's', to: b.key.id, payload: 'secret-sdp-body' });
      await b.next('signal.relay');
      const metrics = (await proc.http('/metrics')).body;
      expect(metrics).toMatch(/discordopus_connections 2/);
      expect(metrics).toMatch(/discordopus_auth_total\{result="ok"\} 2/);
      expect(metrics).toMatch(/discordopus_messages_in_total\{type="signal.send"\} 1/);
      expect(metrics).toMatch(/discordopus_messages_out_total\{type="signal.relay"\} 1/);
      expect(metrics).toMatch(/discordopus_process_resident_memory_bytes/);

      proc.child.kill('SIGTERM');
      expect((await a.closed).code).toBe(CLOSE_CODES.GOING_AWAY);
      expect((await b.closed).code).toBe(CLOSE_CODES.GOING_AWAY);
      expect(await proc.exited).toEqual({ code: 0, signal: null });

      // Info logs: lifecycle lines, never keys, payloads or who talked to whom.
      const logs = proc.output();
      expect(logs).toContain('session opened');
      expect(logs).toContain('shutting down');
      for (const secret of [a.key.id, b.key.id, 'secret-sdp-body']) expect(logs).not.toContain(secret);
    } finally {
      await proc.kill();
    }
  });

  it('a client that ignores the close handshake does not hold shutdown: the process exits 0 while the client still holds its socket', async () => {
    const proc = await startServerProcess(['--shutdown-timeout-ms', '300', '--log-level', 'warn']);
    try {
      const stuck = await TestClient.login(proc.url, makeKey());
      stuck.stopReading();
      proc.child.kill('SIGTERM');
      // No clock here: if shutdown waited for this client, the process would never exit (the
      // test's own timeout would fail it). The exact deadline is checked in fake time in
      // shutdown.test.ts.
      expect(await proc.exited).toEqual({ code: 0, signal: null });
      stuck.ws.terminate();
    } finally {
      await proc.kill();
    }
  });

  it('rejects bad configuration with exit code 2 and says what is wrong', () => {
    const r = spawnSync(process.execPath, [bin, '--port', 'eighty'], { encoding: 'utf8', timeout: 20_000 });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('--port must be a whole number from 0 to 65535');
    const turn = spawnSync(process.execPath, [bin, '--turn-urls', 'turn:x'], { encoding: 'utf8', timeout: 20_000, env: { ...process.env, DISCORDOPUS_PORT: '70000' } });
    expect(turn.status).toBe(2);
    expect(turn.stderr).toContain('--turn-secret is needed when --turn-urls are set');
    expect(turn.stderr).toContain('DISCORDOPUS_PORT must be a whole number from 0 to 65535');
    expect(turn.stderr).not.toMatch(/turnSecret|Too big|expected number/);
    const help = spawnSync(process.execPath, [bin, '--help'], { encoding: 'utf8', timeout: 20_000 });
    expect(help.status).toBe(0);
    expect(help.stdout).toContain('--redis-url  [DISCORDOPUS_REDIS_URL]');
  });
});

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnListening, type ListeningProcess } from './listening-process';
import { freePort } from './ports';

/**
 * A throw-away coturn `turnserver` on 127.0.0.1 with the TURN REST API (`use-auth-secret`, the
 * form the signaling server issues credentials for), no TLS/DTLS, relaying on loopback only.
 * Relayed addresses on `relayIp` (127.0.0.2 by default, still loopback) so that a relayed
 * candidate is told from a host one as between real machines. Shared by the core and desktop
 * link tests; the server's own TURN tests keep their minimal client-facing CoturnProcess.
 */
export async function startCoturn(secret: string, relayIp = '127.0.0.2'): Promise<ListeningProcess & { stop(): Promise<void> }> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'dop-coturn-'));
  const relayMin = 40_000 + Math.floor(Math.random() * 20_000);
  const proc = await spawnListening({
    port,
    command: 'turnserver',
    argv: [
      '-c', '/dev/null',
      '--use-auth-secret', `--static-auth-secret=${secret}`, '--realm=discordopus.test',
      '--listening-ip=127.0.0.1', `--relay-ip=${relayIp}`, `--listening-port=${port}`,
      `--min-port=${relayMin}`, `--max-port=${relayMin + 100}`,
      '--no-cli', '--no-tls', '--no-dtls', '--no-tcp-relay', '--no-multicast-peers',
      // Loopback peers are refused by default; every address in these tests is loopback.
      '--allow-loopback-peers',
      `--pidfile=${join(dir, 'turnserver.pid')}`, `--db=${join(dir, 'turndb')}`,
      '--log-file=stdout', '--simple-log',
    ],
  });
  return {
    ...proc,
    stop: async () => {
      await proc.kill();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stunAnswers } from './turn-client';
import { freePort } from './redis-process';

/**
 * A throw-away coturn `turnserver` on 127.0.0.1 with the TURN REST API (`use-auth-secret`),
 * no TLS/DTLS, no CLI, and its pid file and database in a temporary folder.
 */
export class CoturnProcess {
  private constructor(
    readonly port: number,
    readonly realm: string,
    private readonly child: ChildProcess,
    private readonly dir: string,
    private readonly output: () => string,
  ) {}

  static async start(secret: string, realm = 'discordopus.test'): Promise<CoturnProcess> {
    const port = await freePort();
    const dir = mkdtempSync(join(tmpdir(), 'discordopus-coturn-'));
    const relayMin = 40_000 + Math.floor(Math.random() * 20_000);
    const child = spawn('turnserver', [
      '-c', '/dev/null',
      '--use-auth-secret', `--static-auth-secret=${secret}`, `--realm=${realm}`,
      '--listening-ip=127.0.0.1', '--relay-ip=127.0.0.1', `--listening-port=${port}`,
      `--min-port=${relayMin}`, `--max-port=${relayMin + 100}`,
      '--no-cli', '--no-tls', '--no-dtls', '--no-tcp-relay', '--no-multicast-peers',
      `--pidfile=${join(dir, 'turnserver.pid')}`, `--db=${join(dir, 'turndb')}`,
      '--log-file=stdout', '--simple-log',
    ], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    const append = (d: Buffer): void => {
      out = (out + d.toString()).slice(-16_000);
    };
    child.stdout?.on('data', append);
    child.stderr?.on('data', append);
    const failed = new Promise<Error>((resolve) => child.once('error', resolve));
    const coturn = new CoturnProcess(port, realm, child, dir, () => out);
    const deadline = Date.now() + 15_000;
    for (;;) {
      const spawnError = await Promise.race([failed, new Promise<null>((r) => setTimeout(() => r(null), 50))]);
      if (spawnError) throw new Error(`turnserver could not start (apt-get install coturn): ${spawnError.message}`);
      if (child.exitCode !== null) throw new Error(`turnserver exited:\n${out}`);
      if (await stunAnswers('127.0.0.1', port)) return coturn;
      if (Date.now() > deadline) {
        await coturn.stop();
        throw new Error(`turnserver did not answer on ${port}:\n${out}`);
      }
    }
  }

  get log(): string {
    return this.output();
  }

  async stop(): Promise<void> {
    if (this.child.exitCode === null && this.child.signalCode === null) {
      const exited = new Promise((resolve) => this.child.once('exit', resolve));
      this.child.kill('SIGKILL');
      await exited;
    }
    rmSync(this.dir, { recursive: true, force: true });
  }
}

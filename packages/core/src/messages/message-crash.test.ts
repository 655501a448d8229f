import { spawn, type ChildProcess } from 'node:child_process';
import { randomInt } from 'node:crypto';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { encodeMessageFrame } from '@discordopus/protocol/messages';
import { waitFor } from '@discordopus/test-support';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../test/helpers/temp-dir';
import { createTestVault, PASSPHRASE } from '../../test/helpers/test-vault';
import { Vault } from '../vault/vault';
import { MessageService } from './message-service';

const ROUNDS = 5;
const REPO_ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
const FIXTURE = fileURLToPath(new URL('../../test/fixtures/message-peer.ts', import.meta.url));

/** Bob in his own process, linked to the test through stdin/stdout. */
class BobProcess {
  readonly child: ChildProcess;
  readonly committed: string[] = [];
  ownSeq: number | null = null;
  readonly exited: Promise<void>;
  stderr = '';

  constructor(dir: string, aliceKey: string, mode: 'talk' | 'drain', onFrame: (json: string) => void) {
    this.child = spawn(process.execPath, ['--import', 'tsx', FIXTURE, dir, PASSPHRASE, aliceKey, mode], {
      cwd: REPO_ROOT,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    this.child.stdin!.on('error', () => {}); // writes after the kill
    this.child.stderr!.on('data', (d: Buffer) => (this.stderr += d.toString()));
    createInterface({ input: this.child.stdout! }).on('line', (line) => {
      if (line.startsWith('ready ')) this.ownSeq = Number(line.slice(6));
      else if (line.startsWith('C ')) this.committed.push(line.slice(2));
      else if (line.startsWith('F ')) onFrame(line.slice(2));
    });
    // 'close', not 'exit': every line bob wrote before the kill is still in the pipe at 'exit' on a
    // busy machine; only after 'close' has the test read all he showed.
    this.exited = new Promise((resolve) => this.child.once('close', () => resolve()));
  }

  get alive(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  send(line: string): boolean {
    if (!this.alive) return false;
    this.child.stdin!.write(`${line}\n`);
    return true;
  }
}

describe('crash safety of direct messages: SIGKILL mid-stream (MSG-02, VAULT-03)', () => {
  it(`MSG-02: bob's process is killed with SIGKILL at random moments ${ROUNDS} times while both talk; nothing shown as sent is lost, nothing arrives twice or out of order`, { timeout: 180_000 }, async () => {
    const aliceVault = await createTestVault(tempDir(), { displayName: 'Alice' });
    const bobDir = tempDir();
    const bobSetup = await createTestVault(bobDir, { displayName: 'Bob' });
    const bobKey = bobSetup.messages.ownKey;
    const aliceKey = aliceVault.messages.ownKey;
    bobSetup.close();
    const alice = new MessageService({ store: aliceVault.messages, retransmitMs: 300 });
    const aliceSent: string[] = [];
    const bobShown: string[] = [];
    let bob: BobProcess | null = null;
    const start = (mode: 'talk' | 'drain'): BobProcess => {
      const proc: BobProcess = new BobProcess(bobDir, aliceKey, mode, (json) => {
        if (bob === proc) alice.handleFrame(bobKey, json);
      });
      bob = proc;
      alice.handleLinkOpen(bobKey, { send: (frame) => proc.send(`F ${encodeMessageFrame(frame)}`) });
      return proc;
    };
    alice.on('messageAdded', ({ message }) => {
      // Alice answers each message of bob's: both sides send all the time.
      if (!message.outgoing && bob?.alive) aliceSent.push(alice.send(bobKey, `alice ${aliceSent.length}`).id);
    });

    for (let round = 0; round < ROUNDS; round++) {
      const proc = start('talk');
      aliceSent.push(alice.send(bobKey, `alice ${aliceSent.length}`).id);
      const killAfter = randomInt(2, 40);
      await waitFor(() => proc.committed.length >= killAfter || !proc.alive, `bob to commit ${killAfter} messages`, 60_000);
      expect(proc.alive, proc.stderr).toBe(true);
      proc.child.kill('SIGKILL');
      await proc.exited;
      alice.handleLinkClosed(bobKey);
      bobShown.push(...proc.committed);
    }

    // One last, uninterrupted run that only catches up, then a clean exit.
    const last = start('drain');
    await waitFor(() => last.ownSeq !== null || !last.alive, 'bob to start', 60_000);
    await waitFor(
      () => {
        const p = aliceVault.messages.syncPoints(bobKey);
        return (p.peerAcked === p.ownSeq && p.received === last.ownSeq) || !last.alive;
      },
      'both sides to have everything',
      60_000,
    );
    expect(last.alive, last.stderr).toBe(true);
    last.send('EXIT');
    await last.exited;
    alice.close();

    const bobVault = await Vault.unlock({ dir: bobDir, passphrase: PASSPHRASE });
    const everything = (v: Vault, peer: string) => {
      const out = [];
      let page = v.messages.history(peer, { limit: 500 });
      out.unshift(...page.messages);
      while (page.olderCursor) {
        page = v.messages.history(peer, { before: page.olderCursor, limit: 500 });
        out.unshift(...page.messages);
      }
      return out;
    };
    const onBob = everything(bobVault, aliceKey);
    const onAlice = everything(aliceVault, bobKey);
    // Alice's messages: on bob exactly once, in order.
    expect(onBob.filter((m) => !m.outgoing).map((m) => m.id)).toEqual(aliceSent);
    // Bob's messages: every one he showed as sent is there, in order; at most one per kill was
    // committed but not yet shown; and alice has exactly bob's list.
    const bobOwn = onBob.filter((m) => m.outgoing).map((m) => m.id);
    expect(bobOwn.filter((id) => bobShown.includes(id))).toEqual(bobShown);
    expect(bobOwn.length - bobShown.length).toBeLessThanOrEqual(ROUNDS);
    expect(onAlice.filter((m) => !m.outgoing).map((m) => m.id)).toEqual(bobOwn);
    expect(new Set(onAlice.map((m) => m.id)).size).toBe(onAlice.length);
    expect(onBob.filter((m) => m.outgoing).every((m) => m.state === 'delivered')).toBe(true);
    bobVault.close();
    aliceVault.close();
  });
});

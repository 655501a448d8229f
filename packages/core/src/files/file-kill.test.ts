import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import ndc, { type PeerConnection } from 'node-datachannel';
import { describe, expect, it, onTestFinished } from 'vitest';
import { waitFor } from '@discordopus/test-support';
import { transferIdOfLabel } from '@discordopus/protocol/files';
import { tempDir } from '../../test/helpers/temp-dir';
import { partialPathOf } from './download-folder';
import { FileStore } from './file-store';
import { FileTransferService } from './file-transfer-service';
import { openFilesVault } from './files-vault.test-helper';
import { LINK_LABEL } from './loopback-pair.test-helper';
import { NdcFileChannel } from './ndc-file-channel';

const SCRIPT = fileURLToPath(new URL('./receiver-process.test-helper.ts', import.meta.url));
const REPO = fileURLToPath(new URL('../../../../', import.meta.url));

interface Line { t: string; [k: string]: unknown }

/** Bob's process and alice's end of a loopback pair with it (signaling over its stdio). */
class BobProcess {
  readonly child: ChildProcess;
  readonly lines: Line[] = [];
  readonly pc: PeerConnection;
  readonly channels: NdcFileChannel[] = [];
  readonly exited: Promise<unknown>;
  #answered = false;
  #held: [string, string][] = [];

  constructor(args: string[], alice: FileTransferService, bobHex: string) {
    this.child = spawn(process.execPath, ['--import', 'tsx', SCRIPT, ...args], { cwd: REPO, stdio: ['pipe', 'pipe', 'inherit'] });
    this.exited = new Promise((resolve) => this.child.on('exit', resolve));
    this.pc = new ndc.PeerConnection(`alice-${Date.now()}`, { iceServers: [], bindAddress: '127.0.0.1' });
    const pc = this.pc;
    pc.onStateChange(() => {});
    pc.onGatheringStateChange(() => {});
    pc.onSignalingStateChange(() => {});
    pc.onIceStateChange(() => {});
    pc.onLocalDescription((sdp, type) => this.send({ t: 'sdp', sdp, type }));
    pc.onLocalCandidate((c, m) => (this.#answered ? this.send({ t: 'cand', c, m }) : this.#held.push([c, m])));
    pc.onDataChannel((dc) => {
      if (transferIdOfLabel(dc.getLabel()) === null) return dc.close();
      const channel = new NdcFileChannel(dc);
      this.channels.push(channel);
      alice.handleIncomingChannel(bobHex, channel);
    });
    createInterface({ input: this.child.stdout! }).on('line', (text) => {
      const line = JSON.parse(text) as Line;
      this.lines.push(line);
      if (line.t === 'sdp') {
        setImmediate(() => {
          pc.setRemoteDescription(line.sdp as string, line.type as 'answer');
          this.#answered = true;
          const batch = this.#held.splice(0);
          setImmediate(() => batch.forEach(([c, m]) => this.send({ t: 'cand', c, m })));
        });
      } else if (line.t === 'cand') setImmediate(() => pc.addRemoteCandidate(line.c as string, line.m as string));
      else if (line.t === 'control') alice.handleControl(bobHex, line.frame);
    });
    const own = pc.createDataChannel(LINK_LABEL);
    own.onOpen(() => {});
    own.onClosed(() => {});
    own.onMessage(() => {});
  }

  send(msg: object): void {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.stdin!.write(`${JSON.stringify(msg)}\n`);
  }

  has(pred: (l: Line) => boolean): boolean {
    return this.lines.some(pred);
  }

  /** Alice notices the link is gone (the heartbeat's job in the core): her channels close. */
  dropLink(): void {
    for (const channel of this.channels) channel.close();
    this.pc.close();
  }
}

describe('kill -9 of the receiver mid-transfer (FILE-02)', () => {
  it('FILE-02: a receiver process killed with SIGKILL mid-transfer, restarted on its vault, resumes from its checkpoint and the file has the right hash', async () => {
    const root = tempDir('dopus-files-kill-');
    const aliceHex = randomBytes(32).toString('hex');
    const bobHex = randomBytes(32).toString('hex');
    const connA = openFilesVault(join(root, 'alice.db'), randomBytes(32));
    onTestFinished(() => void connA.detach()?.close());
    const processes: BobProcess[] = [];
    let current: BobProcess | null = null;
    const alice = new FileTransferService({
      store: new FileStore({ connection: connA }),
      openChannel: () => Promise.reject(new Error('alice only sends')),
      sendControl: (_peer, frame) => current?.send({ t: 'control', frame }),
      downloadsDir: join(root, 'alice-downloads'),
      maxReceiveBytes: 2 ** 33,
      autoAcceptVerifiedMaxBytes: 0,
      isVerified: () => false,
    });
    onTestFinished(() => {
      alice.close();
      for (const p of processes) {
        p.child.kill('SIGKILL');
        p.pc.close();
      }
    });
    const bobArgs = (stallAfter: number) => [join(root, 'bob.db'), randomKey, join(root, 'bob-downloads'), aliceHex, String(stallAfter)];
    const randomKey = randomBytes(32).toString('hex');

    // A pair whose own channel never opens (PairStuckError in loopback-pair) is set up again. The
    // process's start (node + tsx, slow on a busy machine) is waited for apart from the link's set-up.
    const startBob = async (stallAfter: number): Promise<BobProcess> => {
      for (let attempt = 1; ; attempt++) {
        const bob = new BobProcess(bobArgs(stallAfter), alice, bobHex);
        processes.push(bob);
        current = bob;
        await waitFor(() => bob.has((l) => l.t === 'ready'), 'bob’s process started', 90_000);
        try {
          await waitFor(() => bob.has((l) => l.t === 'link-up'), 'the link up', 15_000);
          return bob;
        } catch (err) {
          if (attempt >= 4) throw err;
          process.stderr.write(`bob's process: the link did not come up; start it again (attempt ${attempt + 1})\n`);
          bob.child.kill('SIGKILL');
          await bob.exited;
          bob.dropLink();
        }
      }
    };

    // First life: bob freezes after 4 MiB (with a checkpoint in his vault) and is killed.
    current = await startBob(4 * 1024 * 1024);
    const bytes = randomBytes(16 * 1024 * 1024);
    const source = join(root, 'big.bin');
    writeFileSync(source, bytes);
    const offer = await alice.offerFile({ peer: bobHex, path: source });
    await waitFor(() => current!.has((l) => l.t === 'event' && l.name === 'offerReceived'), 'the offer in bob’s process');
    current.send({ t: 'accept', id: offer.id });
    await waitFor(() => current!.has((l) => l.t === 'stalled'), 'bob mid-transfer', 60_000);
    const recorded = (current.lines.find((l) => l.t === 'stalled') as unknown as { recorded: number }).recorded;
    current.child.kill('SIGKILL');
    await current.exited;
    current.dropLink();
    expect(recorded).toBeGreaterThan(0);
    expect(recorded).toBeLessThan(bytes.length);
    expect(existsSync(partialPathOf(join(root, 'bob-downloads'), offer.id))).toBe(true);

    // Second life: the same vault; bob resumes when the link is up.
    current = await startBob(0);
    await waitFor(
      () => current!.has((l) => l.t === 'event' && l.name === 'stateChanged' && (l.e as { state: string }).state === 'complete'),
      'the resumed transfer complete in bob’s process',
      60_000,
    );
    const started = current.lines.find((l) => l.t === 'event' && l.name === 'transferStarted')!.e as { offset: number };
    expect(started.offset).toBeGreaterThanOrEqual(recorded);
    expect(started.offset).toBeLessThan(bytes.length);
    expect(readFileSync(join(root, 'bob-downloads', 'big.bin')).equals(bytes)).toBe(true);
    await waitFor(() => alice.get(offer.id)?.state === 'complete', 'complete at alice');
  }, 300_000);
});

/**
 * A receiver (bob) in its own process, for the kill -9 test (FILE-02): its vault, its engine and
 * its end of a loopback pair, driven over stdio as JSON lines. Parent → child: `sdp`, `cand`,
 * `control` (a file frame from alice), `accept`. Child → parent: `sdp`, `cand`, `control`,
 * `link-up`, `event` (the engine's events), `stalled`.
 * Args: vaultPath keyHex downloadsDir aliceHex stallAfterBytes (0 = never).
 * With stallAfterBytes set, the partial file's writer freezes the process (a blocked event loop)
 * once that many bytes are written and a checkpoint is in the vault, and says `stalled`: the
 * parent then kills it with SIGKILL, in the middle of a transfer, deterministically.
 */
import { createInterface } from 'node:readline';
import ndc from 'node-datachannel';
import { transferIdOfLabel, type FileFrame } from '@discordopus/protocol/files';
import { FileStore } from './file-store';
import { FileTransferService } from './file-transfer-service';
import { openFilesVault } from './files-vault.test-helper';
import { LINK_LABEL } from './loopback-pair.test-helper';
import { NdcFileChannel, openNdcFileChannel } from './ndc-file-channel';
import { writeAll } from './transfer-tunables';

const [vaultPath, keyHex, downloadsDir, aliceHex, stallArg] = process.argv.slice(2) as [string, string, string, string, string];
const stallAfter = Number(stallArg);
const say = (msg: object): void => {
  process.stdout.write(`${JSON.stringify(msg)}\n`);
};

const conn = openFilesVault(vaultPath, Buffer.from(keyHex, 'hex'));
const store = new FileStore({ connection: conn });
const pc = new ndc.PeerConnection('bob-process', { iceServers: [], bindAddress: '127.0.0.1' });
let written = 0;
let stalled = false;
const service = new FileTransferService({
  store,
  openChannel: (_peer, label) => openNdcFileChannel(pc, label, { timeoutMs: 5_000 }),
  sendControl: (_peer, frame: FileFrame) => say({ t: 'control', frame }),
  downloadsDir,
  maxReceiveBytes: 2 ** 33,
  autoAcceptVerifiedMaxBytes: 0,
  isVerified: () => false,
  tunables: {
    checkpointBytes: 512 * 1024,
    progressIntervalMs: 0,
    writeChunk: (fd, data, position) => {
      writeAll(fd, data, position);
      written += data.byteLength;
      const recorded = store.list()[0]?.bytesDone ?? 0;
      if (stallAfter > 0 && !stalled && written >= stallAfter && recorded > 0) {
        stalled = true;
        say({ t: 'stalled', recorded });
        Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0); // frozen until killed
      }
    },
  },
});
for (const name of ['offerReceived', 'stateChanged', 'transferStarted', 'interrupted'] as const) {
  service.on(name, ((e: unknown) => say({ t: 'event', name, e })) as never);
}
pc.onStateChange(() => {});
pc.onGatheringStateChange(() => {});
pc.onSignalingStateChange(() => {});
pc.onIceStateChange(() => {});
pc.onLocalDescription((sdp, type) => say({ t: 'sdp', sdp, type }));
pc.onLocalCandidate((c, m) => say({ t: 'cand', c, m }));
pc.onDataChannel((dc) => {
  if (dc.getLabel() === LINK_LABEL) {
    let up = false;
    const opened = (): void => {
      if (up) return;
      up = true;
      say({ t: 'link-up' });
      service.resume(aliceHex);
    };
    dc.onMessage(() => {});
    dc.onClosed(() => {});
    dc.onOpen(opened);
    if (dc.isOpen()) opened();
  } else if (transferIdOfLabel(dc.getLabel()) !== null) service.handleIncomingChannel(aliceHex, new NdcFileChannel(dc));
  else dc.close();
});
createInterface({ input: process.stdin }).on('line', (line) => {
  const msg = JSON.parse(line) as { t: string; sdp: string; type: string; c: string; m: string; frame: unknown; id: string };
  if (msg.t === 'sdp') setImmediate(() => pc.setRemoteDescription(msg.sdp, msg.type as 'offer'));
  else if (msg.t === 'cand') setImmediate(() => pc.addRemoteCandidate(msg.c, msg.m));
  else if (msg.t === 'control') service.handleControl(aliceHex, msg.frame);
  else if (msg.t === 'accept') service.accept(msg.id);
});
say({ t: 'ready' });

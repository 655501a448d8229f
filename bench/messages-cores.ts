/**
 * The part of `npm run bench:messages` that runs two real client cores (MSG-01, MSG-02): real
 * vaults (SQLCipher, WAL, synchronous=FULL), a real signaling server process, a real link on
 * 127.0.0.1 (node-datachannel, identity handshake, sealed set-up).
 *
 *   round trip   alice writes a message; bob's core answers each one it stores with one of its
 *                own; the time from alice's send to the answer stored on her side. Baseline in
 *                the same run: a bare node-datachannel pair in this process echoing a frame of
 *                the same size (no vaults, no JSON parsing, no acks).
 *   sustained    both sides write N messages at once: `SENDERS` scripts per side, each writing
 *                bursts of `BURST` with sendMessageAsync (the bridge's path, group commit) and
 *                waiting for each burst to be committed before the next; counted until every
 *                message is stored by the other side and acknowledged back. Also the old path
 *                (sendMessage, one commit per message, 20 per event-loop turn) on the same pair.
 */
import ndc, { type DataChannel, type PeerConnection } from 'node-datachannel';
import { freePort, startSignalingProcess } from '@discordopus/test-support';
import { addContacts, cleanupLinkCores, createProfileDir } from '../packages/core/test/harness/link-core';
import { type MessageCore, startMessageCore } from '../packages/core/test/harness/message-core';

const nextTurn = () => new Promise<void>((r) => setImmediate(r));

async function until(check: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!check()) {
    if (performance.now() > deadline) throw new Error(`timed out: ${what}`);
    await new Promise((r) => setTimeout(r, 1));
  }
}

export function percentile(xs: number[], p: number): number {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]!;
}

/** Round trips of `bytes`-long frames on a bare pair, echoed by the far end. */
export async function bareRoundTrips(count: number, bytes: number): Promise<number[]> {
  const a: PeerConnection = new ndc.PeerConnection('a', { iceServers: [], bindAddress: '127.0.0.1' });
  const b: PeerConnection = new ndc.PeerConnection('b', { iceServers: [], bindAddress: '127.0.0.1' });
  const held: [string, string][] = [];
  let answered = false;
  let far: DataChannel | null = null;
  for (const pc of [a, b]) {
    pc.onStateChange(() => {});
    pc.onGatheringStateChange(() => {});
  }
  // The set-up order that works with this engine (ARCHITECTURE): candidates after the answer.
  a.onLocalDescription((sdp, type) => setImmediate(() => b.setRemoteDescription(sdp, type)));
  b.onLocalDescription((sdp, type) =>
    setImmediate(() => {
      a.setRemoteDescription(sdp, type);
      answered = true;
      const batch = held.splice(0);
      setImmediate(() => batch.forEach(([c, m]) => b.addRemoteCandidate(c, m)));
    }),
  );
  a.onLocalCandidate((c, m) => (answered ? setImmediate(() => b.addRemoteCandidate(c, m)) : held.push([c, m])));
  b.onLocalCandidate((c, m) => setImmediate(() => a.addRemoteCandidate(c, m)));
  b.onDataChannel((dc) => {
    far = dc;
    dc.onClosed(() => {});
    dc.onMessage((m) => dc.sendMessage(typeof m === 'string' ? m : String(m)));
  });
  const dc = a.createDataChannel('bench');
  let opened = false;
  let echoed = 0;
  dc.onClosed(() => {});
  dc.onOpen(() => (opened = true));
  dc.onMessage(() => (echoed += 1));
  await until(() => opened && far !== null, 10_000, 'bare pair open');
  const payload = 'x'.repeat(bytes);
  const samples: number[] = [];
  for (let i = 0; i < count; i++) {
    const t = performance.now();
    const want = echoed + 1;
    dc.sendMessage(payload);
    while (echoed < want) await nextTurn();
    samples.push(performance.now() - t);
  }
  // Keep the engine objects until they report closed (bench/links.ts: closing them unreferenced crashed).
  let left = 2;
  await new Promise<void>((resolve) => {
    for (const pc of [a, b]) pc.onStateChange((s) => s === 'closed' && --left === 0 && resolve());
    setImmediate(() => {
      dc.close();
      far?.close();
      a.close();
      b.close();
    });
    setTimeout(resolve, 5_000);
  });
  return samples;
}

export interface CoreFigures {
  rtt: number[];
  bare: number[];
  frameBytes: number;
  sustained: number;
  /** The same count through the sync sendMessage (one commit per message). */
  sustainedSingle: number;
  perSide: number;
  /** Own-message commits per side during the grouped run (average group = perSide / this). */
  groupCommits: number;
}

export const SENDERS = 8;
export const BURST = 25;

/** Two real cores on loopback: round trips, then N messages from each side at once. */
export async function measureCores(rounds: number, perSide: number): Promise<CoreFigures> {
  const server = await startSignalingProcess({ port: await freePort(), flags: ['--offline-grace-ms', '0'] });
  const cores: MessageCore[] = [];
  try {
    const pa = await createProfileDir('Alice');
    const pb = await createProfileDir('Bob');
    await addContacts(pa.dir, [pb.userId]);
    await addContacts(pb.dir, [pa.userId]);
    const alice = await startMessageCore('Alice', server.url, { dir: pa.dir });
    const bob = await startMessageCore('Bob', server.url, { dir: pb.dir });
    cores.push(alice, bob);
    await until(() => alice.vault.contacts.presenceOf(bob.hex) === 'online' && bob.vault.contacts.presenceOf(alice.hex) === 'online', 20_000, 'online');

    // Round trips: bob answers every message of alice's that starts with "ping".
    let echo = true;
    bob.root.on('messageAdded', ({ message }) => {
      if (echo && !message.outgoing && message.text.startsWith('ping')) bob.root.sendMessage(alice.hex, `pong ${message.text.slice(5)}`);
    });
    let answers = 0;
    alice.root.on('messageAdded', ({ message }) => {
      if (!message.outgoing && message.text.startsWith('pong')) answers += 1;
    });
    const text = (i: number) => `ping ${i} a message of an ordinary length, the kind people send to each other`;
    const rtt: number[] = [];
    for (let i = 0; i < rounds + 20; i++) {
      const t = performance.now();
      const want = answers + 1;
      alice.root.sendMessage(bob.hex, text(i));
      await until(() => answers >= want, 20_000, 'an answer');
      if (i >= 20) rtt.push(performance.now() - t); // the first 20 warm up (link set-up, caches)
    }
    echo = false;
    const frameBytes = JSON.stringify({ type: 'message.send', seq: 1, author: 'A'.repeat(43), id: 'A'.repeat(22), sentAt: Date.now(), text: text(0), replyTo: null, editedAt: null, deleted: false }).length;

    const allAcked = (baseA: number, baseB: number) =>
      until(
        () => {
          const a = alice.vault.messages.syncPoints(bob.hex);
          const b = bob.vault.messages.syncPoints(alice.hex);
          return a.peerAcked === baseA + perSide && b.peerAcked === baseB + perSide && a.received === baseB + perSide && b.received === baseA + perSide;
        },
        600_000,
        'all acknowledged',
      );

    // Sustained, both sides at once, group commit: SENDERS scripts per side writing bursts.
    let groupCommits = 0;
    const realBatch = alice.vault.messages.sendBatch.bind(alice.vault.messages);
    alice.vault.messages.sendBatch = (items) => (groupCommits++, realBatch(items));
    let start = performance.now();
    let baseA = alice.vault.messages.syncPoints(bob.hex).ownSeq;
    let baseB = bob.vault.messages.syncPoints(alice.hex).ownSeq;
    const script = async (from: MessageCore, to: string, name: string, s: number) => {
      for (let i = s * BURST; i < perSide; i += SENDERS * BURST) {
        const burst = Array.from({ length: Math.min(BURST, perSide - i) }, (_, j) => from.root.sendMessageAsync(to, `${name} ${s} ${i + j} with a few ordinary words in it`));
        await Promise.all(burst);
      }
    };
    const scripts: Promise<void>[] = [];
    for (let s = 0; s < SENDERS; s++) scripts.push(script(alice, bob.hex, 'alice', s), script(bob, alice.hex, 'bob', s));
    await Promise.all(scripts);
    await allAcked(baseA, baseB);
    const sustained = (2 * perSide) / ((performance.now() - start) / 1000);
    alice.vault.messages.sendBatch = realBatch;

    // The old path on the same pair: one commit per message, 20 per turn.
    start = performance.now();
    baseA = alice.vault.messages.syncPoints(bob.hex).ownSeq;
    baseB = bob.vault.messages.syncPoints(alice.hex).ownSeq;
    for (let i = 0; i < perSide; i++) {
      alice.root.sendMessage(bob.hex, `alice ${i} with a few ordinary words in it`);
      bob.root.sendMessage(alice.hex, `bob ${i} with a few ordinary words in it`);
      if (i % 20 === 19) await nextTurn(); // people type; the links and stores run in between
    }
    await allAcked(baseA, baseB);
    const sustainedSingle = (2 * perSide) / ((performance.now() - start) / 1000);
    const bare = await bareRoundTrips(rounds, frameBytes);
    return { rtt, bare, frameBytes, sustained, sustainedSingle, perSide, groupCommits };
  } finally {
    for (const c of cores) c.stop();
    await server.kill();
    cleanupLinkCores();
  }
}

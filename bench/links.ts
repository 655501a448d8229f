/**
 * `npm run bench:links` — direct links (P2P-01), against a real signaling server in its own process:
 *   - time from "open a link to an online contact" to the handshake done (signaling, sealing,
 *     ICE, DTLS, SCTP and the signed hello both ways included): sequential opens to one contact,
 *     plus 50 opens at once to 50 contacts; median, p99, failures, share over 1 s;
 *   - the baseline in the same run: a bare node-datachannel pair wired in-process (no server, no
 *     sealing, no handshake), from `new PeerConnection` to the channel open on both sides, the
 *     same way (sequential and 50 at once);
 *   - RSS per idle open link (50 links open, both ends in this process);
 *   - time for the heartbeat to notice a SIGKILLed peer (the server keeps showing it online).
 */
import { spawn } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import ndc, { type DataChannel, type PeerConnection } from 'node-datachannel';
import { freePort, startSignalingProcess } from '@discordopus/test-support';
import { shutdownLinkEngine } from '../packages/core/src/links/engine/ndc-transport';
import { addContacts, befriendCores, cleanupLinkCores, createProfileDir, type LinkCore, startLinkCore } from '../packages/core/test/harness/link-core';
import { appendResults, envInt, machineInfo, ms, percentiles, runBenchmark } from './lib/report';

const SEQUENTIAL = envInt('BENCH_LINK_SEQUENTIAL', 250);
const AT_ONCE = envInt('BENCH_LINK_AT_ONCE', 50);
const KILLS = envInt('BENCH_LINK_KILLS', 3);
const OPEN_TIMEOUT_MS = 10_000;
// The default relay budget (20/s, burst 60 per socket) cannot carry 50 set-ups at once (each
// needs at least two relayed messages per side); the benchmark raises it and says so.
const RELAY_FLAGS = ['--relay-per-second', '500', '--relay-burst', '1000'];

const sleep = (msDelay: number): Promise<void> => new Promise((r) => setTimeout(r, msDelay));

async function until(check: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = performance.now() + timeoutMs;
  while (!check()) {
    if (performance.now() > deadline) return false;
    await new Promise((r) => setImmediate(r));
  }
  return true;
}

/**
 * Engine objects of closed bare pairs, kept referenced until the engine reports each closed
 * (channel `onClosed`, connection state `closed`). Letting them be garbage-collected while their
 * close is in flight crashed this benchmark on a quiet machine (SIGSEGV, "corrupted size vs.
 * prev_size"): node-datachannel 0.33.4's wrappers give libdatachannel's threads raw pointers and
 * run a queued close callback's cleanup on them (see ndc-transport.ts, `retiring`).
 */
const retiring = new Set<object>();

/** Close a pair's channels, then its connections, on a later turn; keep them until each reported closed. */
function retirePair(pcs: PeerConnection[], dcs: DataChannel[]): void {
  const holder = { pcs, dcs, left: pcs.length + dcs.length };
  retiring.add(holder);
  const one = (): void => {
    if (--holder.left === 0) setImmediate(() => retiring.delete(holder));
  };
  for (const dc of dcs) dc.onClosed(one);
  for (const pc of pcs) pc.onStateChange((state) => state === 'closed' && one());
  setImmediate(() => {
    for (const dc of dcs) dc.close();
    for (const pc of pcs) pc.close();
  });
}

/**
 * A bare pair: both ends in-process, each description and candidate handed over on a later turn
 * of the event loop, the offerer's candidates only after it applied the answer — and one turn
 * after that: handing them over in the same turn as the answer stalls DTLS for ~1 s in most runs
 * (measured here: 6 of 8 vs 0 of 8), the engine race ARCHITECTURE describes.
 */
function barePair(): Promise<number> {
  const t0 = performance.now();
  const a = new ndc.PeerConnection('a', { iceServers: [], bindAddress: '127.0.0.1' });
  const b = new ndc.PeerConnection('b', { iceServers: [], bindAddress: '127.0.0.1' });
  const held: [string, string][] = [];
  const dcs: DataChannel[] = [];
  let answered = false;
  let open = 0;
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('bare pair did not open')), OPEN_TIMEOUT_MS);
    const done = (): void => {
      if (++open < 2) return;
      clearTimeout(timer);
      const elapsed = performance.now() - t0;
      retirePair([a, b], dcs);
      resolve(elapsed);
    };
    for (const pc of [a, b]) {
      pc.onStateChange(() => {});
      pc.onGatheringStateChange(() => {});
    }
    a.onLocalDescription((sdp, type) => setImmediate(() => b.setRemoteDescription(sdp, type)));
    b.onLocalDescription((sdp, type) =>
      setImmediate(() => {
        a.setRemoteDescription(sdp, type);
        answered = true;
        const batch = held.splice(0);
        setImmediate(() => {
          for (const [c, m] of batch) b.addRemoteCandidate(c, m);
        });
      }),
    );
    a.onLocalCandidate((c, m) => (answered ? setImmediate(() => b.addRemoteCandidate(c, m)) : held.push([c, m])));
    b.onLocalCandidate((c, m) => setImmediate(() => a.addRemoteCandidate(c, m)));
    b.onDataChannel((dc) => {
      dcs.push(dc);
      dc.onClosed(() => {});
      dc.onMessage(() => {});
      if (dc.isOpen()) done();
      else dc.onOpen(done);
    });
    const dc = a.createDataChannel('bench');
    dcs.push(dc);
    dc.onClosed(() => {});
    dc.onOpen(done);
  });
}

function rssMiB(): number {
  return process.memoryUsage().rss / 2 ** 20;
}

function summary(label: string, samples: number[], failures: number, total: number, baselineMedian: number | null): string {
  const p = percentiles(samples);
  const over1s = samples.filter((x) => x > 1000).length + failures;
  const vs = baselineMedian === null ? '1.0×' : `${(p.p50 / baselineMedian).toFixed(1)}×`;
  return `| ${label} | ${total} | ${ms(p.p50)} | ${ms(p.p99)} | ${ms(p.max)} | ${failures} | ${((100 * over1s) / total).toFixed(1)} % | ${vs} |`;
}

async function openAndWait(from: LinkCore, to: LinkCore): Promise<number | null> {
  const t0 = performance.now();
  const result = from.links.open(to.hex);
  if (!result.ok) return null;
  const ok = await until(() => from.links.info(to.hex)?.state === 'open', OPEN_TIMEOUT_MS);
  return ok ? performance.now() - t0 : null;
}

async function main(): Promise<void> {
  console.log(`machine: ${machineInfo()}`);
  console.log(`parameters: ${SEQUENTIAL} sequential opens + ${AT_ONCE} at once, ${KILLS} kills; server flags ${RELAY_FLAGS.join(' ')}`);
  const server = await startSignalingProcess({ port: await freePort(), flags: ['--offline-grace-ms', '60000', ...RELAY_FLAGS] });
  const cores: LinkCore[] = [];
  try {
    // Baseline: bare pairs (warm-up first).
    for (let i = 0; i < 10; i++) await barePair();
    const bareSeq: number[] = [];
    for (let i = 0; i < SEQUENTIAL; i++) bareSeq.push(await barePair());
    const bareBurst = await Promise.all(Array.from({ length: AT_ONCE }, () => barePair()));
    if (!(await until(() => retiring.size === 0, OPEN_TIMEOUT_MS))) console.log(`… ${retiring.size} bare pairs not reported closed`);
    console.log('… baseline done; starting the cores');

    // The cores: alice, bob, and AT_ONCE more contacts of alice's.
    // Alice's cap on concurrent links (default 32) is raised so the 50 at once all stay open.
    const alice = await startLinkCore('alice', server.url, { tunables: { maxLinks: AT_ONCE + 8 } });
    const bob = await startLinkCore('bob', server.url);
    cores.push(alice, bob);
    befriendCores(alice, bob);
    const others: LinkCore[] = [];
    for (let i = 0; i < AT_ONCE; i++) {
      const c = await startLinkCore(`c${i}`, server.url);
      cores.push(c);
      others.push(c);
      befriendCores(alice, c);
    }
    const online = (c: LinkCore): boolean => alice.vault.contacts.presenceOf(c.hex) === 'online' && c.vault.contacts.presenceOf(alice.hex) === 'online';
    if (!(await until(() => [bob, ...others].every(online), 30_000))) throw new Error('contacts did not come online');

    console.log(`… ${cores.length} cores online; sequential opens`);
    // Sequential opens alice → bob, each closed again before the next.
    for (let i = 0; i < 10; i++) {
      await openAndWait(alice, bob);
      alice.links.close(bob.hex);
      await until(() => bob.links.info(alice.hex) === null, OPEN_TIMEOUT_MS);
    }
    const seq: number[] = [];
    let seqFailures = 0;
    for (let i = 0; i < SEQUENTIAL; i++) {
      const t = await openAndWait(alice, bob);
      if (t === null) seqFailures++;
      else seq.push(t);
      alice.links.close(bob.hex);
      await until(() => bob.links.info(alice.hex) === null && alice.links.info(bob.hex) === null, OPEN_TIMEOUT_MS);
    }

    console.log(`… sequential done (${seqFailures} failures); ${AT_ONCE} at once`);
    // 50 at once, alice → 50 contacts; then they stay open and idle for the memory figure.
    await sleep(500);
    const rssBefore = rssMiB();
    const burstResults = await Promise.all(others.map((c) => openAndWait(alice, c)));
    const burst = burstResults.filter((t): t is number => t !== null);
    const burstFailures = burstResults.length - burst.length;
    await sleep(2_000); // idle: heartbeats only
    const rssAfter = rssMiB();
    const openLinks = alice.links.list().filter((l) => l.state === 'open').length;
    const perLinkKiB = ((rssAfter - rssBefore) * 1024) / Math.max(1, openLinks);
    alice.links.closeAll('shutdown');

    console.log(`… ${openLinks} links open and idle; SIGKILL runs`);
    // Time to notice a SIGKILLed peer (default heartbeat: ping 3 s, dead after 10 s).
    const notice: number[] = [];
    for (let k = 0; k < KILLS; k++) {
      const profile = await createProfileDir(`victim${k}`);
      await addContacts(profile.dir, [alice.vault.identity.userId]);
      alice.vault.contacts.add(profile.userId);
      const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(new URL('../packages/core/test/fixtures/link-peer.ts', import.meta.url)), server.url, profile.dir], { stdio: ['ignore', 'pipe', 'inherit'] });
      createInterface({ input: child.stdout }).on('line', () => {});
      if (!(await until(() => alice.vault.contacts.presenceOf(profile.hex) === 'online', 20_000))) throw new Error('victim did not come online');
      const opened = await until(() => {
        if (!alice.links.info(profile.hex)) alice.links.open(profile.hex);
        return alice.links.info(profile.hex)?.state === 'open';
      }, 20_000);
      if (!opened) throw new Error('victim link did not open');
      const t0 = performance.now();
      child.kill('SIGKILL');
      const seen = await until(() => alice.states.some((s) => s.peer === profile.hex && s.reason === 'peer-timeout'), 30_000);
      if (seen) notice.push(performance.now() - t0);
      alice.links.close(profile.hex);
      alice.vault.contacts.remove(profile.hex);
    }

    const bareMedian = percentiles(bareSeq).p50;
    const allLinks = [...seq, ...burst];
    const allFailures = seqFailures + burstFailures;
    const total = SEQUENTIAL + AT_ONCE;
    const kp = percentiles(notice);
    appendResults('Direct links (`npm run bench:links`)', [
      `${SEQUENTIAL} sequential opens to one contact and ${AT_ONCE} at once to ${AT_ONCE} contacts; all cores in one process, the signaling server in its own (\`${RELAY_FLAGS.join(' ')}\`: the default relay budget, burst 60 per socket, cannot carry ${AT_ONCE} set-ups at once); the opener's cap on concurrent links raised from 32 to ${AT_ONCE + 8}; ICE on 127.0.0.1 only. "Open" = the opener's link state \`open\`: sealed offer/answer/candidates through the server, ICE, DTLS, SCTP, and both signed hellos verified.`,
      '',
      '| measurement | runs | median | p99 | max | failures | over 1 s | median vs baseline |',
      '|---|---|---|---|---|---|---|---|',
      summary('baseline: bare node-datachannel pair, sequential', bareSeq, 0, SEQUENTIAL, null),
      summary(`baseline: bare pair, ${AT_ONCE} at once`, bareBurst, 0, AT_ONCE, bareMedian),
      summary('link open → handshake done, sequential', seq, seqFailures, SEQUENTIAL, bareMedian),
      summary(`link open → handshake done, ${AT_ONCE} at once`, burst, burstFailures, AT_ONCE, bareMedian),
      summary('link open → handshake done, all', allLinks, allFailures, total, bareMedian),
      '',
      `RSS with ${openLinks} idle open links (both ends in this process, so ${openLinks * 2} peer connections): ${rssBefore.toFixed(1)} → ${rssAfter.toFixed(1)} MiB, **${perLinkKiB.toFixed(0)} KiB per link** (${(perLinkKiB / 2).toFixed(0)} KiB per end).`,
      '',
      `SIGKILLed peer noticed by the heartbeat (ping every 3 s, dead after 10 s; the server still showed it online): ${notice.length}/${KILLS} noticed, median ${ms(kp.p50)}, max ${ms(kp.max)}.`,
    ]);
  } finally {
    for (const c of cores) c.stop();
    await server.kill();
    cleanupLinkCores();
    await shutdownLinkEngine();
  }
}

runBenchmark(main);

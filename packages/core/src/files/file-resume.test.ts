import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { waitFor } from '@discordopus/test-support';
import { partialPathOf } from './download-folder';
import { connectSides, disconnectSides, type FileSide, twoSides } from './file-peers.test-helper';

const SIZE = 8 * 1024 * 1024;

function sourceFile(side: FileSide, name: string, bytes: Buffer): string {
  const path = join(side.root, 'outgoing', name);
  writeFileSync(path, bytes);
  return path;
}

/** Calls `fn` once, synchronously, from the first progress event of `side` past `bytes` (so it is surely mid-transfer). */
function onceProgressPast(side: FileSide, bytes: number, fn: () => void, also: () => boolean = () => true): { fired: () => boolean } {
  let fired = false;
  const off = side.service.on('progress', (p) => {
    if (fired || p.bytes < bytes || p.bytes >= p.size || !also()) return;
    fired = true;
    off();
    fn();
  });
  return { fired: () => fired };
}

async function offerAndAccept(alice: FileSide, bob: FileSide, bytes: Buffer): Promise<string> {
  const offer = await alice.service.offerFile({ peer: bob.hex, path: sourceFile(alice, 'resume.bin', bytes) });
  await waitFor(() => bob.stateOf(offer.id) === 'offered', 'the offer at bob');
  bob.service.accept(offer.id);
  return offer.id;
}

describe('resume and integrity (FILE-02)', () => {
  it('FILE-02: the receiver torn down mid-transfer (engine gone, vault closed) resumes from its durable offset after a restart and gets the right hash', async () => {
    const { alice, bob } = twoSides();
    await connectSides(alice, bob);
    const bytes = randomBytes(SIZE);
    // Killed once a checkpoint is in the vault (they are fsynced off the event loop, so they lag the bytes).
    const kill = onceProgressPast(bob, 2 * 1024 * 1024, () => bob.stop(), () => (bob.service.list()[0]?.bytesDone ?? 0) > 0);
    const id = await offerAndAccept(alice, bob, bytes);
    await waitFor(kill.fired, 'bob stopped mid-transfer');
    disconnectSides(alice, bob);
    await waitFor(() => alice.events.interrupted.some((e) => e.id === id), 'alice sees the channel drop');

    bob.start(); // reopen the vault: what survived the "crash"
    const row = bob.service.get(id)!;
    expect(row.state).toBe('accepted');
    expect(row.bytesDone).toBeGreaterThan(0);
    expect(row.bytesDone).toBeLessThan(SIZE);
    expect(statSync(partialPathOf(bob.downloads, id)).size).toBeGreaterThanOrEqual(row.bytesDone);

    await connectSides(alice, bob);
    bob.service.resume(alice.hex);
    await waitFor(() => bob.stateOf(id) === 'complete' && alice.stateOf(id) === 'complete', 'the resumed transfer completes', 60_000);
    expect(alice.events.transferStarted.filter((e) => e.id === id).map((e) => e.offset)).toEqual([0, row.bytesDone]);
    expect(readFileSync(join(bob.downloads, 'resume.bin')).equals(bytes)).toBe(true);
    expect(existsSync(partialPathOf(bob.downloads, id))).toBe(false);
  }, 120_000);

  it('FILE-02: when the receiver goes away, the sender reports the pause at the bytes the receiver confirmed in this run, not where the run started', async () => {
    const { alice, bob } = twoSides();
    await connectSides(alice, bob);
    let id = '';
    // Bob goes once alice has a confirmation from him (a checkpoint) in her vault.
    const kill = onceProgressPast(bob, 1024 * 1024, () => bob.stop(), () => (alice.service.get(id)?.bytesDone ?? 0) > 0);
    id = await offerAndAccept(alice, bob, randomBytes(SIZE));
    await waitFor(kill.fired, 'bob stopped mid-transfer');
    disconnectSides(alice, bob);
    await waitFor(() => alice.events.interrupted.some((e) => e.id === id), 'alice sees the channel drop');
    const confirmed = alice.service.get(id)!.bytesDone;
    expect(confirmed).toBeGreaterThan(0);
    expect(alice.events.interrupted.find((e) => e.id === id)).toMatchObject({ direction: 'out', bytes: confirmed });
  });

  it('FILE-02: the sender torn down mid-transfer resumes after its restart (the receiver asks again) and the file is right', async () => {
    const { alice, bob } = twoSides();
    await connectSides(alice, bob);
    const bytes = randomBytes(SIZE);
    const kill = onceProgressPast(alice, 2 * 1024 * 1024, () => alice.stop());
    const id = await offerAndAccept(alice, bob, bytes);
    await waitFor(kill.fired, 'alice stopped mid-transfer');
    disconnectSides(alice, bob);
    await waitFor(() => bob.events.interrupted.some((e) => e.id === id), 'bob sees the channel drop');
    const durable = bob.service.get(id)!.bytesDone;
    expect(durable).toBeLessThan(SIZE);

    alice.start();
    expect(alice.service.get(id)).toMatchObject({ state: 'accepted', direction: 'out' });
    await connectSides(alice, bob);
    bob.service.resume(alice.hex);
    await waitFor(() => bob.stateOf(id) === 'complete' && alice.stateOf(id) === 'complete', 'the resumed transfer completes', 60_000);
    expect(alice.events.transferStarted.filter((e) => e.id === id).map((e) => e.offset)).toEqual([durable]);
    expect(readFileSync(join(bob.downloads, 'resume.bin')).equals(bytes)).toBe(true);
  }, 120_000);

  it('FILE-02: a tampered chunk from a test peer is detected by the SHA-256: the partial file is deleted, both sides fail with HASH_MISMATCH', async () => {
    const { alice, bob } = twoSides();
    await connectSides(alice, bob);
    const bytes = randomBytes(1024 * 1024);
    // Alice is a test peer: her engine makes a true offer, but her channel sends one byte altered.
    alice.service.handleIncomingChannel = (_peer, channel) => {
      channel.onClosed(() => {});
      channel.onMessage((data) => {
        if (typeof data !== 'string' || !data.includes('file.accept')) return;
        const evil = Buffer.from(bytes);
        evil[700_000] = evil[700_000]! ^ 0x01;
        for (let at = 0; at < evil.length; at += 64 * 1024) channel.send(evil.subarray(at, at + 64 * 1024));
      });
    };
    const id = await offerAndAccept(alice, bob, bytes);
    await waitFor(() => bob.stateOf(id) === 'failed' && alice.stateOf(id) === 'failed', 'both sides fail');
    expect(bob.service.get(id)!.failure).toMatchObject({ code: 'HASH_MISMATCH' });
    expect(bob.events.stateChanged.at(-1)).toMatchObject({ state: 'failed', by: 'local', failure: { code: 'HASH_MISMATCH' } });
    expect(alice.service.get(id)!.failure).toMatchObject({ code: 'HASH_MISMATCH' });
    expect(readdirSync(bob.downloads)).toEqual([]);
  });
});

describe('cancel (FILE-01)', () => {
  for (const who of ['sender', 'receiver'] as const) {
    it(`FILE-01: cancel by the ${who} mid-transfer ends it on both sides and removes the partial file`, async () => {
      const { alice, bob } = twoSides();
      await connectSides(alice, bob);
      const canceller = who === 'sender' ? alice : bob;
      let id = '';
      const cancelled = onceProgressPast(canceller, 1, () => canceller.service.cancel(id));
      id = await offerAndAccept(alice, bob, randomBytes(SIZE));
      await waitFor(cancelled.fired, 'cancelled mid-transfer');
      await waitFor(() => alice.stateOf(id) === 'cancelled' && bob.stateOf(id) === 'cancelled', 'cancelled on both sides');
      const other = canceller === alice ? bob : alice;
      expect(canceller.events.stateChanged.at(-1)).toMatchObject({ id, state: 'cancelled', by: 'local' });
      expect(other.events.stateChanged.at(-1)).toMatchObject({ id, state: 'cancelled', by: 'peer' });
      await waitFor(() => readdirSync(bob.downloads).length === 0, 'the partial file removed');
      expect(() => canceller.service.cancel(id)).toThrow(/cancelled/);
    });
  }

  it('FILE-01, P2P-01: a decline arriving mid-transfer (only a misbehaving peer sends one then) ends the sender\'s run, so nothing holds the link open for it', async () => {
    const { alice, bob } = twoSides();
    await connectSides(alice, bob);
    let id = '';
    let running: boolean | null = null;
    const declined = onceProgressPast(alice, 1, () => {
      running = alice.service.runningWith(bob.hex);
      expect(alice.service.handleControl(bob.hex, { type: 'file.decline', id })).toEqual({ ok: true });
    });
    id = await offerAndAccept(alice, bob, randomBytes(SIZE));
    await waitFor(declined.fired, 'declined mid-transfer');
    expect(running).toBe(true);
    expect(alice.stateOf(id)).toBe('declined');
    expect(alice.service.runningWith(bob.hex)).toBe(false);
    expect(alice.service.isRunning(id)).toBe(false);
  });
});

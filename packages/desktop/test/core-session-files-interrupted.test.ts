import { randomBytes } from 'node:crypto';
import { readFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import type { FileInterruption, FileProgress, FileStateChange, FileTransferView } from '@discordopus/protocol/bridge';
import { describe, expect, it } from 'vitest';
import { droppableLinks } from './helpers/droppable-links';
import { SESSION_PASSPHRASE as PASSPHRASE, useLinkedSessions } from './helpers/linked-sessions';
import { LOOPBACK_LINKS, type TestSession } from './helpers/sessions';
import { waitUntil } from './helpers/wait';

/**
 * A transfer whose link drops mid-way, as the window sees it (FILE-02, FILE-01): two real
 * CoreSessions (real vaults, real links on 127.0.0.1, a real signaling server). The only fake is
 * the failure: the sender's current connection is closed and reported failed, as the engine
 * reports a connection that went away.
 */
const CHUNK = 256 * 1024;
const MiB = 1024 * 1024;
const sessions = useLinkedSessions();

async function send(s: TestSession, publicKey: string, name: string, bytes: Uint8Array): Promise<FileTransferView> {
  const { uploadId } = await s.call('files.beginUpload', { publicKey, name, size: bytes.length, mime: 'application/octet-stream', caption: null, preview: null });
  for (let offset = 0; offset < bytes.length; offset += CHUNK) {
    await s.call('files.uploadChunk', { uploadId, offset, data: Buffer.from(bytes.subarray(offset, offset + CHUNK)).toString('base64') });
  }
  return s.call('files.endUpload', { uploadId });
}

/** The file events of one transfer, in the order the window got them. */
function timeline(s: TestSession, id: string): string[] {
  return s.events.flatMap((e) => {
    const p = e.payload as { id?: string };
    if (p.id !== id) return [];
    if (e.event === 'files.interrupted') return ['interrupted'];
    if (e.event === 'files.progress') return ['progress'];
    if (e.event === 'files.stateChanged') return [`state:${(e.payload as FileStateChange).state}`];
    return [];
  });
}

const interruptions = (s: TestSession, id: string) => s.events.filter((e) => e.event === 'files.interrupted' && (e.payload as FileInterruption).id === id).map((e) => e.payload as FileInterruption);

describe('CoreSession: a transfer whose link drops (FILE-02)', () => {
  it('FILE-02, FILE-01: the link drops mid-transfer: both windows get files.interrupted (contact, direction, bytes so far), the transfer stays accepted, then progress and complete follow once the link is back by itself', async () => {
    const bytes = new Uint8Array(randomBytes(16 * MiB));
    const faults = droppableLinks();
    let dropNow: (() => void) | null = null;
    let written = 0;
    // Once bob has written 1 MiB, alice's connection to him drops (on the next turn, outside the engine's callback).
    const bobNet = { ...LOOPBACK_LINKS, files: { tunables: { checkpointBytes: CHUNK, writeChunk: (fd: number, data: Uint8Array, at: number) => {
      for (let done = 0; done < data.byteLength; ) done += writeSync(fd, data, done, data.byteLength - done, at + done);
      written += data.byteLength;
      if (written >= MiB && dropNow !== null) {
        const drop = dropNow;
        dropNow = null;
        setImmediate(drop);
      }
    } } } };
    const alice = sessions.open('alice', { network: { ...LOOPBACK_LINKS, links: faults.links } });
    await alice.call('profile.create', { displayName: 'Alice', passphrase: PASSPHRASE });
    const bob = sessions.open('bob', { network: bobNet });
    await bob.call('profile.create', { displayName: 'Bob', passphrase: PASSPHRASE });
    const bobKey = (await alice.call('contacts.add', { userId: (await bob.call('identity.get', {})).userId })).publicKey;
    const aliceKey = (await bob.call('contacts.add', { userId: (await alice.call('identity.get', {})).userId })).publicKey;

    const sent = await send(alice, bobKey, 'movie.bin', bytes);
    await waitUntil(() => bob.events.some((e) => e.event === 'files.offered'), 'bob is offered the file', 60_000);
    let dropped: boolean | null = null;
    dropNow = () => (dropped = faults.drop(bobKey));
    await bob.call('files.accept', { id: sent.id });
    await waitUntil(() => dropped !== null, 'the link dropped mid-transfer', 60_000);
    expect(dropped).toBe(true);

    // Both windows hear it, with the contact, the direction and where it stopped.
    await waitUntil(() => interruptions(alice, sent.id).length > 0 && interruptions(bob, sent.id).length > 0, 'files.interrupted on both sides', 60_000);
    const [atAlice] = interruptions(alice, sent.id);
    const [atBob] = interruptions(bob, sent.id);
    expect(atAlice).toMatchObject({ publicKey: bobKey, id: sent.id, direction: 'out' });
    expect(atBob).toMatchObject({ publicKey: aliceKey, id: sent.id, direction: 'in' });
    for (const { bytes: at } of [atAlice!, atBob!]) {
      expect(at).toBeGreaterThanOrEqual(0);
      expect(at).toBeLessThan(bytes.length);
    }

    // It resumes by itself (nobody calls anything) and completes, byte-identical.
    await waitUntil(() => timeline(bob, sent.id).includes('state:complete') && timeline(alice, sent.id).includes('state:complete'), 'complete on both sides after the drop', 120_000);
    for (const s of [alice, bob]) {
      const events = timeline(s, sent.id);
      const paused = events.indexOf('interrupted');
      // Nothing but progress between the pause and the end: no failure, no cancel, no second accept.
      expect(events.slice(paused + 1).filter((e) => e !== 'progress' && e !== 'interrupted')).toEqual(['state:complete']);
      expect(events.slice(paused + 1)).toContain('progress');
      expect(events.filter((e) => e.startsWith('state:'))).toEqual(['state:accepted', 'state:complete']);
    }
    const lastProgress = bob.events.filter((e) => e.event === 'files.progress' && (e.payload as FileProgress).id === sent.id).at(-1)?.payload as FileProgress;
    expect(lastProgress).toMatchObject({ bytes: bytes.length, size: bytes.length });
    const received = (await bob.call('files.list', { publicKey: aliceKey })).transfers[0]!;
    expect(readFileSync(join((await bob.call('settings.get', {})).downloadsDir!, received.finalName!)).equals(bytes)).toBe(true);
  }, 240_000);
});

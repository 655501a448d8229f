import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { Vault } from '@discordopus/core';
import type { FileStateChange, FileTransferView } from '@discordopus/protocol/bridge';
import { safeFileName } from '@discordopus/protocol/files';
import { describe, expect, it, vi } from 'vitest';
import { FileBridge } from '../src/core-session/files/file-bridge';
import { platformFolderOpener } from '../src/core-session/files/folder-opener';
import { SESSION_PASSPHRASE as PASSPHRASE, useLinkedSessions } from './helpers/linked-sessions';
import { LOOPBACK_LINKS, type TestSession } from './helpers/sessions';
import { waitUntil } from './helpers/wait';

/**
 * File transfer through the bridge on the desktop side (FILE-01..03): two real CoreSessions (real
 * vaults, real links on 127.0.0.1) and a real signaling server. What only the desktop can show:
 * the staged copy of an upload on disk (where, its mode, when it goes), the received bytes in the
 * downloads folder, and "Open folder" asking for the folder, never the file.
 */
const CHUNK = 256 * 1024;
const sessions = useLinkedSessions();
const { created, mutualContacts: mutualPair, open: session } = sessions;

const staged = (s: TestSession) => readdirSync(join(s.session.vault!.dir, 'outgoing'));

async function upload(s: TestSession, publicKey: string, name: string, bytes: Uint8Array, until = bytes.length): Promise<string> {
  const { uploadId } = await s.call('files.beginUpload', { publicKey, name, size: bytes.length, mime: 'application/octet-stream', caption: null, preview: null });
  for (let offset = 0; offset < until; offset += CHUNK) {
    await s.call('files.uploadChunk', { uploadId, offset, data: Buffer.from(bytes.subarray(offset, Math.min(until, offset + CHUNK))).toString('base64') });
  }
  return uploadId;
}

async function send(s: TestSession, publicKey: string, name: string, bytes: Uint8Array): Promise<FileTransferView> {
  return s.call('files.endUpload', { uploadId: await upload(s, publicKey, name, bytes) });
}

const stateOf = (s: TestSession, id: string, state: string) =>
  s.events.some((e) => e.event === 'files.stateChanged' && (e.payload as FileStateChange).id === id && (e.payload as FileStateChange).state === state);

describe('CoreSession: files from the window (FILE-01..03)', () => {
  it('FILE-01, FILE-03: a file uploaded in chunks is staged 0600 in the profile, arrives byte-identical in the downloads folder, and the staged copy goes', async () => {
    const { alice, bob, aliceKey, bobKey } = await mutualPair();
    // Two whole chunks and a short one; the sender's name tries to leave the downloads folder.
    const bytes = new Uint8Array(randomBytes(2 * CHUNK + 12_345));
    const sent = await send(alice, bobKey, '../../etc/passwd', bytes);
    expect(sent).toMatchObject({ state: 'offered', size: bytes.length, name: '../../etc/passwd' });
    const [stagedName] = staged(alice);
    const stagedPath = join(alice.session.vault!.dir, 'outgoing', stagedName!);
    // Compared with Buffer.equals: a deep toEqual of half a megabyte takes seconds.
    expect(readFileSync(stagedPath).equals(bytes)).toBe(true);
    expect(statSync(stagedPath).mode & 0o777).toBe(0o600);
    expect(statSync(join(alice.session.vault!.dir, 'outgoing')).mode & 0o777).toBe(0o700);

    await waitUntil(() => bob.events.some((e) => e.event === 'files.offered'), 'bob is offered the file', 60_000);
    await bob.call('files.accept', { id: sent.id });
    await waitUntil(() => stateOf(bob, sent.id, 'complete') && stateOf(alice, sent.id, 'complete'), 'complete on both sides', 60_000);

    const received = (await bob.call('files.list', { publicKey: aliceKey })).transfers[0]!;
    expect(received.finalName).toBe(safeFileName('../../etc/passwd'));
    expect(received.finalName).not.toMatch(/[/\\]/);
    const downloads = (await bob.call('settings.get', {})).downloadsDir!;
    expect(downloads.startsWith(sessions.home)).toBe(true);
    expect(readFileSync(join(downloads, received.finalName!)).equals(bytes)).toBe(true);
    expect(readdirSync(downloads)).toEqual([received.finalName]);
    // The staged copy is removed once the transfer ended.
    await waitUntil(() => staged(alice).length === 0, 'the staged copy removed');

    // "Open folder" asks for the folder holding the file, never the file itself.
    expect(await bob.call('files.openFolder', { id: sent.id })).toBeNull();
    expect(bob.openedFolders).toEqual([downloads]);
    rmSync(downloads, { recursive: true });
    await expect(bob.call('files.openFolder', { id: sent.id })).rejects.toMatchObject({ code: 'FOLDER_GONE' });
    expect(bob.openedFolders).toHaveLength(1);
  }, 120_000);

  it('FILE-01: an aborted upload, a cancelled offer and leftovers of a crash leave nothing staged; an offer still waiting keeps its copy across a restart', async () => {
    const alice = await created('alice', 'Alice');
    const peer = (await alice.call('contacts.add', { userId: (await created('bob', 'Bob').then((b) => b.call('identity.get', {}))).userId })).publicKey;
    const aborted = await upload(alice, peer, 'a.bin', new Uint8Array(10), 5);
    expect(staged(alice)).toEqual([aborted]);
    await alice.call('files.abortUpload', { uploadId: aborted });
    expect(staged(alice)).toEqual([]);

    const cancelled = await send(alice, peer, 'c.bin', new Uint8Array(100));
    const waiting = await send(alice, peer, 'w.bin', new Uint8Array(200).fill(1));
    expect(staged(alice)).toHaveLength(2);
    await alice.call('files.cancel', { id: cancelled.id });
    await waitUntil(() => staged(alice).length === 1, 'the cancelled copy removed');
    const [staged0] = staged(alice);

    // An upload still running goes when the profile closes; a file left by a crash (the stray one) at the next
    // unlock; the waiting offer's copy stays.
    await upload(alice, peer, 'half.bin', new Uint8Array(CHUNK * 2), CHUNK);
    const dir = alice.session.vault!.dir;
    const stray = 'S'.repeat(22); // named like an upload ID: a crash's leftover
    writeFileSync(join(dir, 'outgoing', stray), 'x');
    writeFileSync(join(dir, 'outgoing', 'notes.txt'), 'not a staged copy'); // any other name is never deleted
    await alice.session.close();
    expect(readdirSync(join(dir, 'outgoing')).sort()).toEqual([staged0, stray, 'notes.txt'].sort());
    const again = session('alice');
    await again.call('profile.unlock', { passphrase: PASSPHRASE });
    const kept = readdirSync(join(dir, 'outgoing')).filter((name) => name !== 'notes.txt');
    expect(readdirSync(join(dir, 'outgoing'))).toContain('notes.txt');
    expect(kept).toHaveLength(1);
    expect(readFileSync(join(dir, 'outgoing', kept[0]!))).toEqual(Buffer.alloc(200, 1));
    expect((await again.call('files.list', { publicKey: peer })).transfers.map((t) => [t.id, t.state])).toEqual([
      [waiting.id, 'offered'],
      [cancelled.id, 'cancelled'],
    ]);
  });

  it('FILE-03: a downloads folder is created when chosen and a received file lands there', async () => {
    const { alice, bob, aliceKey, bobKey } = await mutualPair();
    const chosen = join(sessions.home, 'my files', 'incoming');
    expect((await bob.call('settings.set', { downloadsDir: chosen })).downloadsDir).toBe(chosen);
    expect(statSync(chosen).isDirectory()).toBe(true);
    const sent = await send(alice, bobKey, 'report.txt', new TextEncoder().encode('quarterly numbers'));
    await waitUntil(() => bob.events.some((e) => e.event === 'files.offered'), 'bob is offered the file', 60_000);
    await bob.call('files.accept', { id: sent.id });
    await waitUntil(() => stateOf(bob, sent.id, 'complete'), 'bob has it', 60_000);
    expect(readFileSync(join(chosen, 'report.txt'), 'utf8')).toBe('quarterly numbers');
    expect((await bob.call('files.list', { publicKey: aliceKey })).transfers[0]?.finalName).toBe('report.txt');
  }, 120_000);

  it('FILE-01: removing a contact cancels their unfinished transfers and drops uploads to them, so no staged copy stays; an upload begun as they were removed is not offered', async () => {
    const alice = await created('alice', 'Alice');
    const peer = (await alice.call('contacts.add', { userId: (await created('bob', 'Bob').then((b) => b.call('identity.get', {}))).userId })).publicKey;
    const waiting = await send(alice, peer, 'w.bin', new Uint8Array(300).fill(2));
    await upload(alice, peer, 'half.bin', new Uint8Array(CHUNK * 2), CHUNK);
    expect(staged(alice)).toHaveLength(2);

    // A begin that passed its contact check just before the removal (both frames in one tick).
    const [late] = await Promise.all([
      alice.call('files.beginUpload', { publicKey: peer, name: 'late.bin', size: 3, mime: 'application/octet-stream', caption: null, preview: null }),
      alice.call('contacts.remove', { publicKey: peer }),
    ]);
    await waitUntil(() => stateOf(alice, waiting.id, 'cancelled'), 'the waiting offer is cancelled');
    expect(alice.session.core!.transfers({ peer }).map((t) => [t.id, t.state])).toEqual([[waiting.id, 'cancelled']]);
    await waitUntil(() => staged(alice).length === 1, 'only the late upload is staged');
    await alice.call('files.uploadChunk', { uploadId: late.uploadId, offset: 0, data: Buffer.from('abc').toString('base64') });
    await expect(alice.call('files.endUpload', { uploadId: late.uploadId })).rejects.toMatchObject({ code: 'CONTACT_NOT_FOUND' });
    expect(staged(alice)).toEqual([]);
    expect(alice.session.core!.transfers({ peer })).toHaveLength(1);
  });

  it('FILE-01: at most 32 files sent from the window wait at once (uploads in progress count); one more is refused until one ends', async () => {
    const alice = await created('alice', 'Alice');
    const peer = (await alice.call('contacts.add', { userId: (await created('bob', 'Bob').then((b) => b.call('identity.get', {}))).userId })).publicKey;
    const sent: FileTransferView[] = [];
    for (let i = 0; i < 31; i++) sent.push(await send(alice, peer, `f${i}.bin`, new Uint8Array([i])));
    const open = await upload(alice, peer, 'open.bin', new Uint8Array(4), 0);
    const begin = () => alice.call('files.beginUpload', { publicKey: peer, name: 'x.bin', size: 1, mime: 'application/octet-stream', caption: null, preview: null });
    await expect(begin()).rejects.toMatchObject({ code: 'UPLOAD_QUEUE_FULL' });
    expect(staged(alice)).toHaveLength(32);
    await alice.call('files.abortUpload', { uploadId: open });
    const next = await begin();
    await expect(begin()).rejects.toMatchObject({ code: 'UPLOAD_QUEUE_FULL' });
    await alice.call('files.abortUpload', next);
    await alice.call('files.cancel', { id: sent[0]!.id });
    expect((await begin()).uploadId).toMatch(/^[A-Za-z0-9_-]{22}$/);

    // A files.list page reads its own rows in SQL, never the whole conversation (review finding M4).
    const newestFour = alice.session.core!.transfers({ peer }).slice(0, 4).map((t) => t.id);
    const wholeConversation = [vi.spyOn(alice.session.core!, 'transfers'), vi.spyOn(alice.session.vault!.files, 'list')];
    const first = await alice.call('files.list', { publicKey: peer, limit: 2 });
    const second = await alice.call('files.list', { publicKey: peer, limit: 2, before: first.olderCursor! });
    expect([...first.transfers, ...second.transfers].map((t) => t.id)).toEqual(newestFour);
    for (const spy of wholeConversation) expect(spy).not.toHaveBeenCalled();
  }, 60_000);

  it('FILE-01: the profile counts as open before the staged-file clean-up is awaited (a contact change meanwhile reaches the window); a failing start stops the core and closes the vault', async () => {
    const alice = await created('alice', 'Alice');
    const peer = (await alice.call('contacts.add', { userId: (await created('bob', 'Bob').then((b) => b.call('identity.get', {}))).userId })).publicKey;
    await alice.session.close();

    // The clean-up is held (failure injection) while the window renames the contact.
    const start = FileBridge.prototype.start;
    let release = () => {};
    const held = new Promise<void>((resolve) => (release = resolve));
    const spy = vi.spyOn(FileBridge.prototype, 'start').mockImplementationOnce(async function (this: FileBridge) {
      await held;
      return start.call(this);
    });
    const again = session('alice');
    const unlocking = again.call('profile.unlock', { passphrase: PASSPHRASE });
    await waitUntil(() => spy.mock.calls.length === 1, 'the clean-up begins');
    await again.call('contacts.rename', { publicKey: peer, nickname: 'Bobby' });
    expect(again.events.some((e) => e.event === 'contacts.changed')).toBe(true);
    release();
    await unlocking;
    await again.session.close();

    // A start that fails leaves nothing open: the vault's lock is free for the next unlock.
    spy.mockRejectedValueOnce(new Error('injected: the clean-up failed'));
    const third = session('alice');
    await expect(third.call('profile.unlock', { passphrase: PASSPHRASE })).rejects.toMatchObject({ code: 'INTERNAL' });
    expect(third.session.session.state).toBe('locked');
    expect(third.session.core).toBeNull();
    await third.call('profile.unlock', { passphrase: PASSPHRASE });
    expect(third.session.session.state).toBe('unlocked');
    spy.mockRestore();
  });

  it('FILE-03: a downloads folder inside the profile folder (where staged uploads are cleaned up) is refused, also through a symlink', async () => {
    const alice = await created('alice', 'Alice');
    const profile = alice.session.vault!.dir;
    const before = (await alice.call('settings.get', {})).downloadsDir;
    for (const dir of [profile, join(profile, 'outgoing'), join(profile, 'inbox', 'files')]) {
      await expect(alice.call('settings.set', { downloadsDir: dir }), dir).rejects.toMatchObject({ code: 'DOWNLOADS_NOT_WRITABLE' });
    }
    symlinkSync(profile, join(sessions.home, 'profile-link'));
    await expect(alice.call('settings.set', { downloadsDir: join(sessions.home, 'profile-link', 'outgoing') })).rejects.toMatchObject({ code: 'DOWNLOADS_NOT_WRITABLE' });
    expect((await alice.call('settings.get', {})).downloadsDir).toBe(before);
  });

  it('FILE-02, FILE-01: an outgoing file accepted mid-way keeps its staged copy across the sender’s restart, is listed as paused meanwhile, and resumes to a byte-identical file', async () => {
    const bytes = new Uint8Array(randomBytes(16 * 1024 * 1024));
    let alice = await created('alice', 'Alice');
    let stopAt: (() => void) | null = null;
    let written = 0;
    // Failure injection: once bob has written 1 MiB, alice's core stops at once (her window is closed mid-transfer).
    const bobNet = { ...LOOPBACK_LINKS, files: { tunables: { checkpointBytes: 256 * 1024, writeChunk: (fd: number, data: Uint8Array, at: number) => {
      for (let done = 0; done < data.byteLength; ) done += writeSync(fd, data, done, data.byteLength - done, at + done);
      written += data.byteLength;
      if (written >= 1024 * 1024 && stopAt !== null) {
        const stop = stopAt;
        stopAt = null;
        stop();
      }
    } } } };
    const bob = session('bob', { network: bobNet });
    await bob.call('profile.create', { displayName: 'Bob', passphrase: PASSPHRASE });
    const bobKey = (await alice.call('contacts.add', { userId: (await bob.call('identity.get', {})).userId })).publicKey;
    const aliceKey = (await bob.call('contacts.add', { userId: (await alice.call('identity.get', {})).userId })).publicKey;
    const sent = await send(alice, bobKey, 'movie.bin', bytes);
    const [copy] = staged(alice);
    const aliceDir = alice.session.vault!.dir;
    await waitUntil(() => bob.events.some((e) => e.event === 'files.offered'), 'bob is offered the file', 60_000);
    const first = alice;
    stopAt = () => first.session.core!.stop();
    // Accepted with its channel opening: running, not paused.
    expect(await bob.call('files.accept', { id: sent.id })).toMatchObject({ state: 'accepted', paused: false });
    await waitUntil(() => stopAt === null, 'alice stopped mid-transfer', 60_000);
    await first.session.close();
    expect(bob.session.core!.transfers({ peer: aliceKey })[0]).toMatchObject({ state: 'accepted' });
    // FILE-02: a window opened now (it saw no files.interrupted) learns of the pause from files.list.
    await waitUntil(() => bob.events.some((e) => e.event === 'files.interrupted'), 'bob hears of the pause', 60_000);
    const pausedView = (await bob.call('files.list', { publicKey: aliceKey })).transfers[0]!;
    expect(pausedView).toMatchObject({ id: sent.id, state: 'accepted', paused: true });
    expect(bob.session.core!.transfers({ peer: aliceKey })[0]!.bytesDone).toBeLessThan(bytes.length);
    expect(readdirSync(join(aliceDir, 'outgoing'))).toEqual([copy]);

    alice = session('alice');
    await alice.call('profile.unlock', { passphrase: PASSPHRASE });
    expect(staged(alice)).toEqual([copy]);
    await waitUntil(() => stateOf(bob, sent.id, 'complete'), 'the transfer resumes and completes', 90_000);
    const received = (await bob.call('files.list', { publicKey: aliceKey })).transfers[0]!;
    expect(received.paused).toBe(false);
    expect(readFileSync(join((await bob.call('settings.get', {})).downloadsDir!, received.finalName!)).equals(bytes)).toBe(true);
    await waitUntil(() => staged(alice).length === 0, 'the staged copy removed once complete', 60_000);
  }, 180_000);

  it('FILE-01: at unlock, unfinished transfers of a contact no longer in the list (removed by an older version) are cancelled and their staged copies go', async () => {
    const alice = await created('alice', 'Alice');
    const peer = (await alice.call('contacts.add', { userId: (await created('bob', 'Bob').then((b) => b.call('identity.get', {}))).userId })).publicKey;
    const waiting = await send(alice, peer, 'w.bin', new Uint8Array(50).fill(3));
    const dir = alice.session.vault!.dir;
    await alice.session.close();
    // The contact row goes while no CoreSession runs (as an older version's contacts.remove did).
    const vault = await Vault.unlock({ dir, passphrase: PASSPHRASE });
    vault.contacts.remove(peer);
    vault.close();
    expect(readdirSync(join(dir, 'outgoing'))).toHaveLength(1);

    const again = session('alice');
    await again.call('profile.unlock', { passphrase: PASSPHRASE });
    expect(again.session.core!.transfers({ peer }).map((t) => [t.id, t.state])).toEqual([[waiting.id, 'cancelled']]);
    await waitUntil(() => staged(again).length === 0, 'the staged copy removed');
  });

  it('FILE-03: when no file manager can be started (its program is missing), Open folder answers OPENER_FAILED with a sentence', async () => {
    const alice = await created('alice', 'Alice');
    const bob = session('bob', { openFolder: platformFolderOpener('linux', join(sessions.home, 'no-such-file-manager')) });
    await bob.call('profile.create', { displayName: 'Bob', passphrase: PASSPHRASE });
    const bobKey = (await alice.call('contacts.add', { userId: (await bob.call('identity.get', {})).userId })).publicKey;
    await bob.call('contacts.add', { userId: (await alice.call('identity.get', {})).userId });
    const sent = await send(alice, bobKey, 'a.txt', new TextEncoder().encode('hello'));
    await waitUntil(() => bob.events.some((e) => e.event === 'files.offered'), 'bob is offered the file', 60_000);
    await bob.call('files.accept', { id: sent.id });
    await waitUntil(() => stateOf(bob, sent.id, 'complete'), 'bob has it', 60_000);
    await expect(bob.call('files.openFolder', { id: sent.id })).rejects.toMatchObject({ code: 'OPENER_FAILED', message: expect.stringContaining('No file manager') });
  }, 120_000);
});

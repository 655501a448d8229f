import { base64 } from '@scure/base';
import type { BridgeEventName, BridgeParamsInput, FileInterruption, FileProgress, FileStateChange, FileTransferView } from '@discordopus/protocol/bridge';
import { expect, it } from 'vitest';
import type { BridgeCoreUnderTest } from './bridge-contract';
import { waitFor } from './wait';
import { call, codeOf, hexOf, mutualPair } from './bridge-contract-support';

/**
 * The file-transfer part of the bridge core contract (FILE-01..03), run by
 * describeBridgeCoreContract against the real CoreSession (real vaults, real links on
 * 127.0.0.1, staged uploads on disk) and the app's FakeCore.
 */
export interface FileContractContext {
  /** A new profile with an identity, its events recorded. */
  created(displayName?: string): Promise<{ core: BridgeCoreUnderTest; events: { event: BridgeEventName; payload: unknown }[] }>;
  /** The same profile after a restart, unlocked again. */
  restarted(core: BridgeCoreUnderTest): Promise<BridgeCoreUnderTest>;
  /** A user ID of a key nobody runs (a contact who never comes online). */
  someonesUserId(): string;
  /** FILE-02: the link under the next file `sender` sends drops mid-way and comes back by itself. */
  interruptNextTransfer(sender: BridgeCoreUnderTest): void;
}

type Recorded = Awaited<ReturnType<FileContractContext['created']>>;

const b64 = (bytes: Uint8Array) => base64.encode(bytes);
const text = (s: string) => new TextEncoder().encode(s);
/** The PNG signature and a few bytes: what the preview check looks at. */
const PNG_PREVIEW = { mime: 'image/png' as const, data: b64(new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 73, 72, 68, 82])) };
/** A test with two cores and links between them: several 60 s waits may each be needed on a busy machine. */
const TWO_CORES_MS = 180_000;
/** A well-formed transfer ID that names no transfer. */
const UNKNOWN_ID = 'AAAAAAAAAAAAAAAAAAAAAA';

/** Upload `bytes` in chunks of `chunk` bytes and end the upload: the transfer as the core answers it. */
export async function sendFile(
  core: BridgeCoreUnderTest,
  publicKey: string,
  file: { name: string; bytes: Uint8Array; mime?: string; caption?: string | null; preview?: { mime: 'image/png' | 'image/jpeg' | 'image/webp'; data: string } | null },
  chunk = 4,
): Promise<FileTransferView> {
  const { uploadId } = await call(core, 'files.beginUpload', {
    publicKey,
    name: file.name,
    size: file.bytes.length,
    mime: file.mime ?? 'application/octet-stream',
    caption: file.caption ?? null,
    preview: file.preview ?? null,
  });
  for (let offset = 0; offset < file.bytes.length; offset += chunk) {
    const { received } = await call(core, 'files.uploadChunk', { uploadId, offset, data: b64(file.bytes.subarray(offset, offset + chunk)) });
    expect(received).toBe(Math.min(file.bytes.length, offset + chunk));
  }
  return call(core, 'files.endUpload', { uploadId });
}

const states = (r: Recorded, id: string) =>
  r.events.filter((e) => e.event === 'files.stateChanged' && (e.payload as FileStateChange).id === id).map((e) => e.payload as FileStateChange);
/** One transfer's file events as the window got them: `interrupted`, `progress`, `state:<state>`. */
const timeline = (r: Recorded, id: string) =>
  r.events.flatMap((e) => {
    if ((e.payload as { id?: string }).id !== id) return [];
    if (e.event === 'files.interrupted') return ['interrupted'];
    if (e.event === 'files.progress') return ['progress'];
    return e.event === 'files.stateChanged' ? [`state:${(e.payload as FileStateChange).state}`] : [];
  });
const interruptions = (r: Recorded, id: string) =>
  r.events.filter((e) => e.event === 'files.interrupted' && (e.payload as FileInterruption).id === id).map((e) => e.payload as FileInterruption);
const offers = (r: Recorded) => r.events.filter((e) => e.event === 'files.offered').map((e) => e.payload as { transfer: FileTransferView; autoAccepted: boolean });

export function describeFileContract(ctx: FileContractContext): void {
  async function withContact() {
    const r = await ctx.created('Alice');
    const contact = await call(r.core, 'contacts.add', { userId: ctx.someonesUserId() });
    return { ...r, peer: contact.publicKey };
  }

  const mutual = () => mutualPair((name) => ctx.created(name));

  it('FILE-01: every step of an upload is checked, with a code and a sentence; at most four run at once', async () => {
    const r = await withContact();
    const begin = (params: Partial<BridgeParamsInput<'files.beginUpload'>> = {}) =>
      call(r.core, 'files.beginUpload', { publicKey: r.peer, name: 'a.txt', size: 10, mime: 'text/plain', caption: null, preview: null, ...params });
    expect(await codeOf(begin({ publicKey: hexOf(ctx.someonesUserId()) }))).toBe('CONTACT_NOT_FOUND');
    expect(await codeOf(begin({ size: 4 * 1024 ** 3 + 1 }))).toBe('BRIDGE_BAD_PARAMS');
    expect(await codeOf(begin({ name: '' }))).toBe('BRIDGE_BAD_PARAMS');
    expect(await codeOf(begin({ mime: 'not a type' }))).toBe('BRIDGE_BAD_PARAMS');
    expect(await codeOf(begin({ preview: { mime: 'image/jpeg', data: PNG_PREVIEW.data } }))).toBe('BRIDGE_BAD_PARAMS');
    expect(await codeOf(begin({ preview: { mime: 'image/png', data: b64(new Uint8Array(32 * 1024 + 1).fill(0x89)) } }))).toBe('BRIDGE_BAD_PARAMS');

    const { uploadId } = await begin();
    const chunk = (offset: number, data: string) => call(r.core, 'files.uploadChunk', { uploadId, offset, data });
    expect(await codeOf(chunk(5, b64(text('12345'))))).toBe('UPLOAD_BAD_OFFSET');
    expect(await codeOf(chunk(0, 'not base64!'))).toBe('BRIDGE_BAD_PARAMS');
    expect(await codeOf(chunk(0, b64(new Uint8Array(256 * 1024 + 1))))).toBe('BRIDGE_BAD_PARAMS');
    expect(await codeOf(chunk(0, b64(text('0123456789A'))))).toBe('UPLOAD_TOO_LARGE');
    expect(await chunk(0, b64(text('01234')))).toEqual({ received: 5 });
    expect(await codeOf(call(r.core, 'files.endUpload', { uploadId }))).toBe('UPLOAD_INCOMPLETE');
    expect(await call(r.core, 'files.abortUpload', { uploadId })).toBeNull();
    expect(await codeOf(chunk(5, b64(text('56789'))))).toBe('UPLOAD_NOT_FOUND');
    expect(await codeOf(call(r.core, 'files.abortUpload', { uploadId }))).toBe('UPLOAD_NOT_FOUND');
    expect(await codeOf(call(r.core, 'files.endUpload', { uploadId: 'x' }))).toBe('BRIDGE_BAD_PARAMS');

    // Five at once (the bridge answers frames concurrently): exactly one is refused.
    const five = await Promise.all(Array.from({ length: 5 }, () => begin().then((u) => u, (e: { code?: string }) => e.code ?? String(e))));
    expect(five.filter((u) => u === 'UPLOAD_LIMIT')).toHaveLength(1);
    const four = five.filter((u): u is { uploadId: string } => typeof u !== 'string');
    expect(four).toHaveLength(4);
    expect(await codeOf(begin())).toBe('UPLOAD_LIMIT');
    await call(r.core, 'files.abortUpload', four[0]!);
    const fifth = await begin();
    for (const upload of [...four.slice(1), fifth]) await call(r.core, 'files.abortUpload', upload);
    expect((await call(r.core, 'files.list', { publicKey: r.peer })).transfers).toEqual([]);
  });

  it('FILE-01: a file for a contact who is away waits as offered, pages newest first, survives a restart; the sender can cancel it', async () => {
    const r = await withContact();
    const notes = await sendFile(r.core, r.peer, { name: 'notes.txt', bytes: text('hello world'), mime: 'text/plain' });
    expect(notes).toMatchObject({ peer: r.peer, direction: 'out', name: 'notes.txt', size: 11, mime: 'text/plain', caption: null, preview: null, state: 'offered', by: null, bytesDone: 0, failure: null, finalName: null });
    const photo = await sendFile(r.core, r.peer, { name: 'photo.png', bytes: new Uint8Array(100).fill(7), mime: 'image/png', caption: 'At the lake 🌊', preview: PNG_PREVIEW });
    expect(photo).toMatchObject({ name: 'photo.png', caption: 'At the lake 🌊', preview: PNG_PREVIEW, state: 'offered' });

    expect((await call(r.core, 'files.list', { publicKey: r.peer })).transfers.map((t) => t.id)).toEqual([photo.id, notes.id]);
    const first = await call(r.core, 'files.list', { publicKey: r.peer, limit: 1 });
    expect(first).toEqual({ transfers: [photo], olderCursor: photo.id });
    expect(await call(r.core, 'files.list', { publicKey: r.peer, limit: 1, before: first.olderCursor! })).toEqual({ transfers: [notes], olderCursor: null });
    expect(await codeOf(call(r.core, 'files.list', { publicKey: r.peer, before: UNKNOWN_ID }))).toBe('TRANSFER_NOT_FOUND');
    expect(await codeOf(call(r.core, 'files.list', { publicKey: r.peer, limit: 17 }))).toBe('BRIDGE_BAD_PARAMS');
    expect(await codeOf(call(r.core, 'files.list', { publicKey: hexOf(ctx.someonesUserId()) }))).toBe('CONTACT_NOT_FOUND');

    // Only the receiver accepts or declines; only a received, complete file has a folder to show.
    expect(await codeOf(call(r.core, 'files.accept', { id: notes.id }))).toBe('TRANSFER_NOT_FOUND');
    expect(await codeOf(call(r.core, 'files.decline', { id: notes.id }))).toBe('TRANSFER_NOT_FOUND');
    expect(await codeOf(call(r.core, 'files.openFolder', { id: notes.id }))).toBe('FILE_NOT_COMPLETE');
    expect(await codeOf(call(r.core, 'files.accept', { id: UNKNOWN_ID }))).toBe('TRANSFER_NOT_FOUND');
    expect(await codeOf(call(r.core, 'files.cancel', { id: 'not-an-id' }))).toBe('BRIDGE_BAD_PARAMS');

    expect(await call(r.core, 'files.cancel', { id: notes.id })).toMatchObject({ id: notes.id, state: 'cancelled', by: 'local' });
    await waitFor(() => states(r, notes.id).some((s) => s.state === 'cancelled' && s.by === 'local' && s.publicKey === r.peer), 'files.stateChanged cancelled');
    expect(await codeOf(call(r.core, 'files.cancel', { id: notes.id }))).toBe('BAD_STATE');

    const again = await ctx.restarted(r.core);
    const after = await call(again, 'files.list', { publicKey: r.peer });
    expect(after.transfers.map((t) => [t.id, t.state, t.preview])).toEqual([
      [photo.id, 'offered', PNG_PREVIEW],
      [notes.id, 'cancelled', null],
    ]);
  });

  it('FILE-01, FILE-03: between two mutual contacts an image with its preview is offered, accepted and completes on both sides; one is declined, one cancelled', async () => {
    const { alice, bob, aliceKey, bobKey } = await mutual();
    const bytes = new Uint8Array(3000).map((_, i) => (i * 31) % 251);
    const sent = await sendFile(alice.core, bobKey, { name: 'holiday.png', bytes, mime: 'image/png', caption: 'Look!', preview: PNG_PREVIEW }, 1024);
    await waitFor(() => offers(bob).some((o) => o.transfer.id === sent.id), 'bob is offered the image', 60_000);
    const offer = offers(bob).find((o) => o.transfer.id === sent.id)!;
    expect(offer).toEqual({ autoAccepted: false, transfer: { ...sent, peer: aliceKey, direction: 'in' } });

    const accepted = await call(bob.core, 'files.accept', { id: sent.id });
    expect(accepted).toMatchObject({ id: sent.id, direction: 'in', by: null });
    expect(['accepted', 'complete']).toContain(accepted.state);
    await waitFor(() => states(bob, sent.id).some((s) => s.state === 'complete'), 'bob has the file', 60_000);
    await waitFor(() => states(alice, sent.id).some((s) => s.state === 'complete'), 'alice sees it complete', 60_000);
    expect(states(bob, sent.id).find((s) => s.state === 'complete')).toMatchObject({ publicKey: aliceKey, direction: 'in', finalName: 'holiday.png', failure: null });
    expect(states(alice, sent.id).find((s) => s.state === 'accepted')).toMatchObject({ publicKey: bobKey, direction: 'out', by: 'peer' });
    const progress = bob.events.filter((e) => e.event === 'files.progress').map((e) => e.payload as { id: string; bytes: number; size: number });
    expect(progress.filter((p) => p.id === sent.id).at(-1)).toMatchObject({ bytes: 3000, size: 3000 });
    const [received] = (await call(bob.core, 'files.list', { publicKey: aliceKey })).transfers;
    expect(received).toMatchObject({ id: sent.id, state: 'complete', bytesDone: 3000, finalName: 'holiday.png', caption: 'Look!', preview: PNG_PREVIEW, by: null });
    expect((await call(alice.core, 'files.list', { publicKey: bobKey })).transfers[0]).toMatchObject({ id: sent.id, state: 'complete', finalName: null });
    expect(await call(bob.core, 'files.openFolder', { id: sent.id })).toBeNull();
    expect(await codeOf(call(alice.core, 'files.openFolder', { id: sent.id }))).toBe('FILE_NOT_COMPLETE');
    expect(await codeOf(call(bob.core, 'files.accept', { id: sent.id }))).toBe('BAD_STATE');

    // The receiver declines: the sender sees who did.
    const declined = await sendFile(alice.core, bobKey, { name: 'report.pdf', bytes: text('%PDF-1.7'), mime: 'application/pdf' });
    await waitFor(() => offers(bob).some((o) => o.transfer.id === declined.id), 'bob is offered the report', 60_000);
    expect(await call(bob.core, 'files.decline', { id: declined.id })).toMatchObject({ state: 'declined', by: 'local' });
    await waitFor(() => states(alice, declined.id).some((s) => s.state === 'declined' && s.by === 'peer'), 'alice sees the decline', 60_000);
    expect((await call(alice.core, 'files.list', { publicKey: bobKey })).transfers[0]).toMatchObject({ id: declined.id, state: 'declined', by: 'peer' });

    // The sender cancels before an answer: the receiver's offer ends too.
    const cancelled = await sendFile(alice.core, bobKey, { name: 'draft.txt', bytes: text('draft'), mime: 'text/plain' });
    await waitFor(() => offers(bob).some((o) => o.transfer.id === cancelled.id), 'bob is offered the draft', 60_000);
    await call(alice.core, 'files.cancel', { id: cancelled.id });
    await waitFor(() => states(bob, cancelled.id).some((s) => s.state === 'cancelled' && s.by === 'peer'), 'bob sees the cancel', 60_000);
    expect(await codeOf(call(bob.core, 'files.accept', { id: cancelled.id }))).toBe('BAD_STATE');
  }, TWO_CORES_MS);

  it('FILE-02, FILE-01: the link under a running transfer drops: both sides hear files.interrupted (contact, direction, bytes it continues from), it stays accepted and completes by itself, with progress after the pause', async () => {
    const { alice, bob, aliceKey, bobKey } = await mutual();
    const size = 16 * 1024 * 1024;
    const bytes = new Uint8Array(size).map((_, i) => (i * 7 + (i >> 12)) % 251);
    const sent = await sendFile(alice.core, bobKey, { name: 'movie.bin', bytes }, 256 * 1024);
    await waitFor(() => offers(bob).some((o) => o.transfer.id === sent.id), 'bob is offered the file', 60_000);
    ctx.interruptNextTransfer(alice.core);
    await call(bob.core, 'files.accept', { id: sent.id });
    await waitFor(() => interruptions(alice, sent.id).length > 0 && interruptions(bob, sent.id).length > 0, 'files.interrupted on both sides', 60_000);
    expect(interruptions(alice, sent.id)[0]).toMatchObject({ publicKey: bobKey, id: sent.id, direction: 'out' });
    expect(interruptions(bob, sent.id)[0]).toMatchObject({ publicKey: aliceKey, id: sent.id, direction: 'in' });
    for (const { bytes: at } of [...interruptions(alice, sent.id), ...interruptions(bob, sent.id)]) {
      expect(at).toBeGreaterThanOrEqual(0);
      expect(at).toBeLessThan(size);
    }
    await waitFor(() => timeline(bob, sent.id).includes('state:complete') && timeline(alice, sent.id).includes('state:complete'), 'complete on both sides after the drop', 120_000);
    for (const r of [alice, bob]) {
      const events = timeline(r, sent.id);
      const after = events.slice(events.indexOf('interrupted') + 1);
      // After the pause only bytes and the end: no failure, no cancel, no second accept.
      expect(after).toContain('progress');
      expect(after.filter((e) => e !== 'progress' && e !== 'interrupted')).toEqual(['state:complete']);
      expect(events.filter((e) => e.startsWith('state:'))).toEqual(['state:accepted', 'state:complete']);
    }
    const progress = bob.events.filter((e) => e.event === 'files.progress' && (e.payload as FileProgress).id === sent.id);
    expect(progress.at(-1)?.payload).toMatchObject({ bytes: size, size });
    expect((await call(bob.core, 'files.list', { publicKey: aliceKey })).transfers[0]).toMatchObject({ id: sent.id, state: 'complete', bytesDone: size });
  }, TWO_CORES_MS);

  it('FILE-03, FILE-01: an offer over the receive limit arrives failed; files from a verified contact under the auto-accept size are taken without asking', async () => {
    const { alice, bob, aliceKey, bobKey } = await mutual();
    await call(bob.core, 'settings.set', { maxReceiveBytes: 4 });
    const big = await sendFile(alice.core, bobKey, { name: 'big.bin', bytes: text('0123456789') });
    await waitFor(() => offers(bob).some((o) => o.transfer.id === big.id), 'bob gets the offer', 60_000);
    expect(offers(bob).find((o) => o.transfer.id === big.id)).toMatchObject({ autoAccepted: false, transfer: { state: 'failed', by: 'local', failure: { code: 'TOO_LARGE' } } });
    await waitFor(() => states(alice, big.id).some((s) => s.state === 'failed' && s.by === 'peer' && s.failure?.code === 'TOO_LARGE'), 'alice sees TOO_LARGE', 60_000);

    await call(bob.core, 'settings.set', { maxReceiveBytes: 1024 * 1024, autoAcceptVerifiedMaxBytes: 1024 });
    await call(bob.core, 'contacts.setVerified', { publicKey: aliceKey, verified: true });
    const small = await sendFile(alice.core, bobKey, { name: 'small.txt', bytes: text('fits') });
    await waitFor(() => offers(bob).some((o) => o.transfer.id === small.id), 'bob gets the small offer', 60_000);
    expect(offers(bob).find((o) => o.transfer.id === small.id)?.autoAccepted).toBe(true);
    await waitFor(() => states(bob, small.id).some((s) => s.state === 'complete'), 'the small file arrives by itself', 60_000);
  }, TWO_CORES_MS);

  it('FILE-03, FILE-01: the downloads folder, the receive limit and auto-accept are settings: checked, announced, kept across a restart', async () => {
    const r = await ctx.created('Alice');
    const before = await call(r.core, 'settings.get', {});
    expect(before).toMatchObject({ maxReceiveBytes: 4 * 1024 ** 3, autoAcceptVerifiedMaxBytes: 0 });
    expect(before.downloadsDir).toMatch(/^(\/|[A-Za-z]:\\)/);
    expect(await codeOf(call(r.core, 'settings.set', { downloadsDir: 'Downloads' }))).toBe('BRIDGE_BAD_PARAMS');
    expect(await codeOf(call(r.core, 'settings.set', { downloadsDir: '/tmp/a\nb' }))).toBe('BRIDGE_BAD_PARAMS');
    expect(await codeOf(call(r.core, 'settings.set', { maxReceiveBytes: -1 }))).toBe('BRIDGE_BAD_PARAMS');
    expect(await codeOf(call(r.core, 'settings.set', { autoAcceptVerifiedMaxBytes: 1.5 }))).toBe('BRIDGE_BAD_PARAMS');
    // A folder that cannot exist is refused, and nothing else in that call is stored.
    expect(await codeOf(call(r.core, 'settings.set', { downloadsDir: '/dev/null/downloads', theme: before.theme === 'dark' ? 'light' : 'dark' }))).toBe('DOWNLOADS_NOT_WRITABLE');
    expect(await call(r.core, 'settings.get', {})).toEqual(before);

    const chosen = `${before.downloadsDir}/Chosen`;
    const after = await call(r.core, 'settings.set', { downloadsDir: chosen, maxReceiveBytes: 1024 ** 3, autoAcceptVerifiedMaxBytes: 10 * 1024 ** 2 });
    expect(after).toEqual({ ...before, downloadsDir: chosen, maxReceiveBytes: 1024 ** 3, autoAcceptVerifiedMaxBytes: 10 * 1024 ** 2 });
    await waitFor(() => r.events.some((e) => e.event === 'settings.changed' && (e.payload as { downloadsDir?: string }).downloadsDir === chosen), 'settings.changed');
    const again = await ctx.restarted(r.core);
    expect(await call(again, 'settings.get', {})).toEqual(after);
    expect((await call(again, 'settings.set', { downloadsDir: null })).downloadsDir).toBe(before.downloadsDir);
  });
}

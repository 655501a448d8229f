import { act, createEvent, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { encodeUserId } from '@discordopus/protocol';
import { FILE_BRIDGE_LIMITS, type FileTransferView } from '@discordopus/protocol/bridge';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { App } from '../../app';
import { bytesToBase64 } from '../../lib/base64';
import { FAKE_OWN_KEY, fakeContact } from '../../test-support/fake-core';
import { flushBridge, renderWithCore } from '../../test-support/render-app';
import type { PreviewMaker } from './make-preview';
import { PreviewMakerContext } from './send-files-dialog';

const unlocked = {
  session: 'unlocked' as const,
  passphrase: 'correct horse battery',
  identity: { userId: encodeUserId(FAKE_OWN_KEY), displayName: 'Alice' },
};
const bob = fakeContact(2, { displayName: 'Bob', onlineStatus: 'online' });

/** A real PNG signature and a few bytes: what the bridge's preview check wants to see. */
const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3, 4]);
const PREVIEW = { mime: 'image/png' as const, data: bytesToBase64(PNG) };
/** jsdom has no canvas: the test's own preview maker stands in for the window's. */
const fakePreviewMaker: PreviewMaker = async (file) => (file.type.startsWith('image/') ? PREVIEW : null);

type Harness = ReturnType<typeof renderWithCore>;

/** jsdom has no object URLs: these stand in, and keep each URL's blob so a test can read what an image shows. */
const objectUrls = new Map<string, Blob>();
const realCreate = URL.createObjectURL;
const realRevoke = URL.revokeObjectURL;
beforeEach(() => {
  URL.createObjectURL = (blob: Blob) => {
    const url = `blob:test/${objectUrls.size + 1}`;
    objectUrls.set(url, blob);
    return url;
  };
  URL.revokeObjectURL = (url: string) => void objectUrls.delete(url);
});
afterEach(() => {
  URL.createObjectURL = realCreate;
  URL.revokeObjectURL = realRevoke;
  objectUrls.clear();
});

/** The bytes an <img> shows, as base64 (it must be a live object URL of this test). */
async function shownImage(img: HTMLElement): Promise<string> {
  const blob = objectUrls.get(img.getAttribute('src') ?? '');
  if (blob === undefined) throw new Error(`not a live object URL: ${img.getAttribute('src')}`);
  return `${blob.type};${bytesToBase64(new Uint8Array(await blob.arrayBuffer()))}`;
}

function start(): Harness {
  return renderWithCore(
    <PreviewMakerContext.Provider value={fakePreviewMaker}>
      <App />
    </PreviewMakerContext.Provider>,
    { state: { ...unlocked, contacts: [bob] } },
  );
}

async function openBob(h: Harness) {
  const row = await waitFor(() => {
    const found = screen.getAllByTestId('contact-row').find((r) => r.dataset.publicKey === bob.publicKey);
    if (found === undefined) throw new Error('no row for Bob');
    return found;
  });
  await h.user.click(within(row).getAllByRole('button')[0] as HTMLElement);
  await waitFor(() => expect(screen.getByTestId('conversation').dataset.publicKey).toBe(bob.publicKey));
  await flushBridge();
}

function item(id: string): HTMLElement {
  const found = screen.queryAllByTestId('file-item').find((e) => e.dataset.id === id);
  if (found === undefined) throw new Error(`no file item ${id}`);
  return found;
}

const bytesOf = (n: number) => Uint8Array.from({ length: n }, (_, i) => (i * 31 + 7) % 251);

/** Choose files with the composer's attach button, confirm the sheet; answers the offered transfer. */
async function sendWithAttach(h: Harness, file: File, caption = ''): Promise<FileTransferView> {
  await h.user.upload(screen.getByTestId('composer-file-input'), file);
  const sheet = await screen.findByTestId('send-files-dialog');
  if (caption !== '') await h.user.type(within(sheet).getByTestId('send-file-caption'), caption);
  await waitFor(() => expect((within(sheet).getByTestId('send-files-confirm') as HTMLButtonElement).disabled).toBe(false));
  await h.user.click(within(sheet).getByTestId('send-files-confirm'));
  await waitFor(() => expect(h.core.files.uploads.at(-1)?.transferId ?? null).not.toBeNull());
  await flushBridge();
  const transfer = h.core.files.get(h.core.files.uploads.at(-1)!.transferId!);
  if (transfer === null) throw new Error('the upload did not become a transfer');
  return transfer;
}


/**
 * A file whose chunks are read only when the test lets them (a slow disk, held still): what
 * `sendFile` uses of a Blob. `lengths` overrides how many bytes a chunk read returns.
 */
function heldFile(name: string, size: number, lengths: Record<number, number> = {}) {
  const gates: (() => void)[] = [];
  const file = {
    name,
    size,
    type: 'application/octet-stream',
    slice: (start: number, end: number) => ({
      arrayBuffer: () =>
        new Promise<ArrayBuffer>((resolve) => {
          gates.push(() => resolve(bytesOf(lengths[start] ?? Math.min(end, size) - start).buffer as ArrayBuffer));
        }),
    }),
  } as unknown as Blob;
  /** Let the next waiting chunk read finish. */
  const release = async () => {
    await waitFor(() => expect(gates.length).toBeGreaterThan(0));
    await act(async () => gates.shift()!());
    await flushBridge();
  };
  return { file, release };
}

describe('files in the conversation (FILE-01..03)', () => {
  it('FILE-01: the attach button opens the sheet (name, size, caption); the bytes go up in chunks and the file waits for Bob, then shows progress and completes', async () => {
    const h = start();
    await openBob(h);
    const content = bytesOf(FILE_BRIDGE_LIMITS.uploadChunkBytes + 5);
    const file = new File([content], 'report.pdf', { type: 'application/pdf' });
    await h.user.upload(screen.getByTestId('composer-file-input'), file);
    const sheet = await screen.findByTestId('send-files-dialog');
    expect(within(sheet).getByTestId('send-file-name').textContent).toBe('report.pdf');
    expect(within(sheet).getByTestId('send-file-size').textContent).toBe('256 KB');
    fireEvent.click(within(sheet).getByTestId('send-files-cancel'));
    await waitFor(() => expect(screen.queryByTestId('send-files-dialog')).toBeNull());
    expect(h.core.files.uploads).toHaveLength(0);

    const transfer = await sendWithAttach(h, file, 'Q3 numbers');
    const upload = h.core.files.uploads[0]!;
    expect(upload).toMatchObject({ publicKey: bob.publicKey, name: 'report.pdf', size: content.length, mime: 'application/pdf', caption: 'Q3 numbers', preview: null, state: 'ended' });
    // Compared as text: a deep equality over half a million numbers is slow.
    expect(bytesToBase64(upload.bytes)).toBe(bytesToBase64(content));

    const shown = item(transfer.id);
    expect(within(shown).getByTestId('file-name').textContent).toBe('report.pdf');
    expect(within(shown).getByTestId('file-caption').textContent).toBe('Q3 numbers');
    expect(within(shown).getByTestId('file-status').textContent).toBe('Waiting for Bob to accept');
    expect(within(shown).queryByTestId('file-preview')).toBeNull();
    expect(screen.queryByTestId('upload-item')).toBeNull();

    await act(async () => {
      h.core.files.setState(transfer.id, 'accepted');
      h.core.files.progress(transfer.id, 65_540, { bytesPerSecond: 2 * 1024 * 1024, secondsLeft: 7 });
    });
    await flushBridge();
    const bar = within(item(transfer.id)).getByRole('progressbar', { name: 'Sending report.pdf' });
    expect(bar.getAttribute('aria-valuenow')).toBe('25');
    expect(within(item(transfer.id)).getByTestId('file-progress-text').textContent).toBe('25 % · 64 KB of 256 KB · 2.0 MB/s · 7 s left');
    expect(within(item(transfer.id)).getByRole('button', { name: 'Cancel report.pdf' })).toBeTruthy();

    await act(async () => void h.core.files.setState(transfer.id, 'complete'));
    await flushBridge();
    expect(item(transfer.id).dataset.state).toBe('complete');
    expect(within(item(transfer.id)).getByTestId('file-status').textContent).toBe('Complete — sent');
    expect(within(item(transfer.id)).queryByTestId('file-open-folder')).toBeNull();
  });

  it('FILE-01, FILE-03: an offered image shows its preview with Accept and Decline; accepting shows progress, then Complete with Open folder', async () => {
    const h = start();
    await openBob(h);
    const offer = h.core.files.receiveOffer({ from: bob.publicKey, name: 'cat.png', size: 4_000_000, mime: 'image/png', caption: 'look', preview: PREVIEW });
    await flushBridge();
    const shown = item(offer.id);
    expect(shown.dataset.direction).toBe('in');
    expect(await shownImage(within(shown).getByTestId('file-preview'))).toBe(`image/png;${PREVIEW.data}`);
    expect(within(shown).getByTestId('file-status').textContent).toBe('Bob wants to send you this file');
    expect(within(shown).getByTestId('file-size').textContent).toBe('3.8 MB');

    await h.user.click(within(shown).getByRole('button', { name: 'Accept cat.png' }));
    await flushBridge();
    expect(h.core.files.accepted).toEqual([offer.id]);
    expect(item(offer.id).dataset.state).toBe('accepted');
    await act(async () => h.core.files.progress(offer.id, 3_000_000, { bytesPerSecond: 1_000_000, secondsLeft: 1 }));
    await flushBridge();
    const bar = within(item(offer.id)).getByRole('progressbar', { name: 'Receiving cat.png' });
    expect(bar.getAttribute('aria-valuenow')).toBe('75');

    await act(async () => void h.core.files.setState(offer.id, 'complete', { finalName: 'cat (1).png' }));
    await flushBridge();
    expect(within(item(offer.id)).getByTestId('file-status').textContent).toBe('Complete — saved as cat (1).png');
    expect(within(item(offer.id)).queryByRole('progressbar')).toBeNull();
    await h.user.click(within(item(offer.id)).getByTestId('file-open-folder'));
    await flushBridge();
    expect(h.core.files.openedFolders).toEqual([offer.id]);
  });

  it('FILE-01: decline says who declined; Bob cancelling and a failure say so in words; Cancel works while waiting', async () => {
    const h = start();
    await openBob(h);
    const declined = h.core.files.receiveOffer({ from: bob.publicKey, name: 'a.zip', size: 10 });
    const cancelled = h.core.files.receiveOffer({ from: bob.publicKey, name: 'b.zip', size: 10 });
    const failed = h.core.files.receiveOffer({ from: bob.publicKey, name: 'c.zip', size: 10 });
    await flushBridge();
    await h.user.click(within(item(declined.id)).getByRole('button', { name: 'Decline a.zip' }));
    await flushBridge();
    expect(h.core.files.declined).toEqual([declined.id]);
    expect(within(item(declined.id)).getByTestId('file-status').textContent).toBe('Declined by you');
    expect(within(item(declined.id)).queryByRole('button')).toBeNull();

    await h.user.click(within(item(cancelled.id)).getByRole('button', { name: 'Accept b.zip' }));
    await flushBridge();
    await act(async () => void h.core.files.setState(cancelled.id, 'cancelled', { by: 'peer' }));
    await flushBridge();
    expect(within(item(cancelled.id)).getByTestId('file-status').textContent).toBe('Cancelled by Bob');

    await h.user.click(within(item(failed.id)).getByRole('button', { name: 'Accept c.zip' }));
    await flushBridge();
    await act(async () => void h.core.files.setState(failed.id, 'failed', { by: 'local', failure: { code: 'FILE_HASH_MISMATCH', message: 'The received file did not match what was sent; it was deleted.' } }));
    await flushBridge();
    expect(within(item(failed.id)).getByTestId('file-status').textContent).toBe('Failed: The received file did not match what was sent; it was deleted.');

    const mine = await sendWithAttach(h, new File([bytesOf(3)], 'notes.txt', { type: 'text/plain' }));
    await h.user.click(within(item(mine.id)).getByRole('button', { name: 'Cancel notes.txt' }));
    await flushBridge();
    expect(h.core.files.cancelled).toEqual([mine.id]);
    expect(within(item(mine.id)).getByTestId('file-status').textContent).toBe('Cancelled by you');
  });

  it('FILE-01: dropping a file shows "Drop to send to Bob", then the sheet; a pasted image goes with the preview made in the window', async () => {
    const h = start();
    await openBob(h);
    const conversation = screen.getByTestId('conversation');
    const dropped = new File([bytesOf(10)], 'drop.bin', { type: '' });
    const dataTransfer = { types: ['Files'], files: [dropped], dropEffect: 'none' };
    fireEvent.dragEnter(conversation, { dataTransfer });
    expect(screen.getByTestId('drop-overlay').textContent).toBe('Drop to send to Bob');
    fireEvent.drop(conversation, { dataTransfer });
    expect(screen.queryByTestId('drop-overlay')).toBeNull();
    const sheet = await screen.findByTestId('send-files-dialog');
    expect(within(sheet).getByTestId('send-file-name').textContent).toBe('drop.bin');
    await waitFor(() => expect((within(sheet).getByTestId('send-files-confirm') as HTMLButtonElement).disabled).toBe(false));
    await h.user.click(within(sheet).getByTestId('send-files-confirm'));
    await waitFor(() => expect(h.core.files.uploads[0]?.state).toBe('ended'));
    expect(h.core.files.uploads[0]).toMatchObject({ name: 'drop.bin', mime: 'application/octet-stream', size: 10 });

    const image = new File([PNG], 'image.png', { type: 'image/png' });
    const paste = createEvent.paste(screen.getByTestId('composer-input'));
    Object.defineProperty(paste, 'clipboardData', { value: { files: [image], types: ['Files'] } });
    fireEvent(screen.getByTestId('composer-input'), paste);
    expect(paste.defaultPrevented).toBe(true);
    const pasteSheet = await screen.findByTestId('send-files-dialog');
    expect(await shownImage(await within(pasteSheet).findByTestId('send-file-preview'))).toBe(`image/png;${PREVIEW.data}`);
    await h.user.click(within(pasteSheet).getByTestId('send-files-confirm'));
    await waitFor(() => expect(h.core.files.uploads[1]?.state).toBe('ended'));
    expect(h.core.files.uploads[1]).toMatchObject({ name: 'image.png', mime: 'image/png', preview: PREVIEW });
    await flushBridge();
    expect(within(item(h.core.files.uploads[1]!.transferId!)).getByTestId('file-preview')).toBeTruthy();
  });

  it('FILE-01: a file on its way to the desktop shows "Preparing" with its percent; Cancel stops it and the desktop drops the bytes', async () => {
    const h = start();
    await openBob(h);
    const chunk = FILE_BRIDGE_LIMITS.uploadChunkBytes;
    const held = heldFile('big.bin', chunk * 2);
    const sending = h.actions.sendFile(bob.publicKey, held.file, { caption: null, preview: null });
    await held.release();
    const tray = await screen.findByTestId('upload-item');
    await waitFor(() => expect(within(tray).getByRole('progressbar', { name: 'Preparing big.bin' }).getAttribute('aria-valuenow')).toBe('50'));
    await h.user.click(within(tray).getByRole('button', { name: 'Cancel sending big.bin' }));
    await held.release();
    await expect(sending).resolves.toBeNull();
    await flushBridge();
    expect(h.core.files.uploads.map((u) => u.state)).toEqual(['aborted']);
    expect(screen.queryByTestId('upload-item')).toBeNull();
    expect(screen.queryAllByTestId('file-item')).toHaveLength(0);
  });

  it('FILE-01: an upload the desktop refuses says why in the tray, with Dismiss; nothing is offered', async () => {
    const h = start();
    await openBob(h);
    const chunk = FILE_BRIDGE_LIMITS.uploadChunkBytes;
    // The file grew while it was read: the second read returns more than the size announced.
    const held = heldFile('growing.log', chunk + 10, { [chunk]: 500 });
    const outcome = h.actions.sendFile(bob.publicKey, held.file, { caption: null, preview: null }).then(
      () => null,
      (error: unknown) => error,
    );
    await held.release();
    await held.release();
    expect(await outcome).toMatchObject({ code: 'UPLOAD_TOO_LARGE' });
    await flushBridge();
    const tray = screen.getByTestId('upload-item');
    expect(within(tray).getByRole('alert').textContent).toBe('Could not send growing.log: The upload is larger than the size it announced.');
    expect(h.core.files.uploads.map((u) => u.state)).toEqual(['aborted']);
    await h.user.click(within(tray).getByRole('button', { name: 'Dismiss growing.log' }));
    expect(screen.queryByTestId('upload-item')).toBeNull();
    expect(screen.queryAllByTestId('file-item')).toHaveLength(0);
  });

  it('FILE-01: keyboard only — Escape closes the sheet, Enter in the caption sends; Accept and Cancel answer Enter and Space', async () => {
    const h = start();
    await openBob(h);
    await h.user.upload(screen.getByTestId('composer-file-input'), new File([bytesOf(4)], 'keys.txt', { type: 'text/plain' }));
    await screen.findByTestId('send-files-dialog');
    await h.user.keyboard('{Escape}');
    await waitFor(() => expect(screen.queryByTestId('send-files-dialog')).toBeNull());
    expect(h.core.files.uploads).toHaveLength(0);

    await h.user.upload(screen.getByTestId('composer-file-input'), new File([bytesOf(4)], 'keys.txt', { type: 'text/plain' }));
    const sheet = await screen.findByTestId('send-files-dialog');
    await waitFor(() => expect((within(sheet).getByTestId('send-files-confirm') as HTMLButtonElement).disabled).toBe(false));
    within(sheet).getByTestId('send-file-caption').focus();
    await h.user.keyboard('by keyboard{Enter}');
    await waitFor(() => expect(h.core.files.uploads[0]?.state).toBe('ended'));
    expect(h.core.files.uploads[0]?.caption).toBe('by keyboard');

    const offer = h.core.files.receiveOffer({ from: bob.publicKey, name: 'in.txt', size: 2 });
    await flushBridge();
    within(item(offer.id)).getByRole('button', { name: 'Accept in.txt' }).focus();
    await h.user.keyboard('{Enter}');
    await flushBridge();
    expect(h.core.files.accepted).toEqual([offer.id]);
    within(item(offer.id)).getByRole('button', { name: 'Cancel in.txt' }).focus();
    await h.user.keyboard(' ');
    await flushBridge();
    expect(h.core.files.cancelled).toEqual([offer.id]);
  });

  it('FILE-01: a file dropped outside a conversation does nothing (the browser must not open it in place of the app)', async () => {
    const h = start();
    await openBob(h);
    const sidebar = screen.getAllByTestId('contact-row')[0]!;
    const dataTransfer = { types: ['Files'], files: [new File([bytesOf(1)], 'x.html', { type: 'text/html' })], dropEffect: 'none' };
    const over = createEvent.dragOver(sidebar, { dataTransfer });
    fireEvent(sidebar, over);
    const drop = createEvent.drop(sidebar, { dataTransfer });
    fireEvent(sidebar, drop);
    expect([over.defaultPrevented, drop.defaultPrevented]).toEqual([true, true]);
    expect(screen.queryByTestId('send-files-dialog')).toBeNull();
    expect(h.core.files.uploads).toHaveLength(0);
  });

  it('FILE-01: a file over the window\'s upload limit is named and refused in the sheet; nothing is uploaded', async () => {
    const h = start();
    await openBob(h);
    const huge = new File([bytesOf(1)], 'disk.img');
    Object.defineProperty(huge, 'size', { value: FILE_BRIDGE_LIMITS.maxUploadBytes + 1 });
    await h.user.upload(screen.getByTestId('composer-file-input'), huge);
    const sheet = await screen.findByTestId('send-files-dialog');
    expect(within(sheet).getByTestId('send-file-problem').textContent).toBe('Too large to send: the limit is 4.0 GB.');
    expect((within(sheet).getByTestId('send-files-confirm') as HTMLButtonElement).disabled).toBe(true);
    expect(h.core.files.uploads).toHaveLength(0);
  });

  it('FILE-01: transfers older than the loaded messages wait for them; loading older messages brings their transfers, page after page', async () => {
    const h = start();
    const t0 = Date.now() - 100 * 60_000;
    // 20 transfers (more than one page of the list), then 60 messages (more than one page of history).
    for (let i = 0; i < 20; i++) h.core.files.receiveOffer({ from: bob.publicKey, name: `old-${i}.txt`, size: 1, sentAt: t0 + i * 1_000 });
    h.core.messages.seed(bob.publicKey, 60, (i) => ({ text: `m${i}`, outgoing: false, sentAt: t0 + 60_000 + i * 60_000 }));
    await openBob(h);
    const bobs = () => Object.values(h.store.getState().transfers).filter((t) => t.peer === bob.publicKey);
    await waitFor(() => expect(bobs()).toHaveLength(FILE_BRIDGE_LIMITS.listPage));
    expect(screen.queryAllByTestId('file-item')).toHaveLength(0);

    await act(async () => void (await h.actions.loadOlder(bob.publicKey)));
    await flushBridge();
    await waitFor(() => expect(bobs()).toHaveLength(20));
    expect(h.store.getState().transferCursors[bob.publicKey]).toBeNull();
  });

  it('FILE-01: transfers sit among the messages by their time', async () => {
    const h = start();
    const t0 = Date.now() - 60 * 60_000;
    h.core.messages.seed(bob.publicKey, 2, (i) => ({ text: `m${i}`, outgoing: false, sentAt: t0 + i * 20 * 60_000 }));
    h.core.files.receiveOffer({ from: bob.publicKey, name: 'between.txt', size: 1, sentAt: t0 + 10 * 60_000 });
    h.core.files.receiveOffer({ from: bob.publicKey, name: 'last.txt', size: 1, sentAt: t0 + 30 * 60_000 });
    await openBob(h);
    await waitFor(() => expect(screen.getAllByTestId('file-item')).toHaveLength(2));
    const order = Array.from(screen.getByTestId('message-scroller').querySelectorAll('[data-testid="message-text"], [data-testid="file-name"]')).map((e) => e.textContent);
    expect(order).toEqual(['m0', 'between.txt', 'm1', 'last.txt']);
  });
});

import { act, createEvent, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { FILE_BRIDGE_LIMITS } from '@discordopus/protocol/bridge';
import { describe, expect, it } from 'vitest';
import { bytesToBase64 } from '../../lib/base64';
import { flushBridge } from '../../test-support/render-app';
import { PNG, PREVIEW, bob, bytesOf, item, openBob, sendWithAttach, shownImage, start, useObjectUrls } from './files-test-kit';

useObjectUrls();

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

  it('FILE-02: a transfer whose link dropped says it is paused, waiting for Bob, with no speed or time left and Cancel still there; the next progress clears it, and so does an end', async () => {
    const h = start();
    await openBob(h);
    const offer = h.core.files.receiveOffer({ from: bob.publicKey, name: 'film.mkv', size: 4_000_000 });
    const other = h.core.files.receiveOffer({ from: bob.publicKey, name: 'notes.pdf', size: 4_000_000 });
    await flushBridge();
    for (const t of [offer, other]) await h.user.click(within(item(t.id)).getByRole('button', { name: `Accept ${t.name}` }));
    await act(async () => h.core.files.progress(offer.id, 3_000_000, { bytesPerSecond: 1_000_000, secondsLeft: 1 }));
    await flushBridge();
    expect(within(item(offer.id)).getByTestId('file-progress-text').textContent).toBe('75 % · 2.9 MB of 3.8 MB · 977 KB/s · 1 s left');

    // The link drops: the receiver continues from its last checkpoint, behind the last sample.
    await act(async () => h.core.files.interrupted(offer.id, 2_000_000));
    await flushBridge();
    const paused = item(offer.id);
    expect(within(paused).getByTestId('file-paused').textContent).toBe('Paused — waiting for Bob to reconnect; it continues by itself');
    expect(within(paused).getByTestId('file-progress-text').textContent).toBe('50 % · 1.9 MB of 3.8 MB');
    expect(within(paused).getByRole('progressbar', { name: 'Receiving film.mkv' }).getAttribute('aria-valuetext')).toBe('Paused, 50 %, 1.9 MB of 3.8 MB');
    expect(within(paused).getByRole('button', { name: 'Cancel film.mkv' })).toBeTruthy();
    // Only that transfer is paused.
    expect(within(item(other.id)).queryByTestId('file-paused')).toBeNull();

    // Bytes flow again: the pause is over and speed and time left are back.
    await act(async () => h.core.files.progress(offer.id, 2_500_000, { bytesPerSecond: 500_000, secondsLeft: 3 }));
    await flushBridge();
    expect(within(item(offer.id)).queryByTestId('file-paused')).toBeNull();
    expect(within(item(offer.id)).getByTestId('file-progress-text').textContent).toBe('62 % · 2.4 MB of 3.8 MB · 488 KB/s · 3 s left');

    // Paused again, then it ends (here: cancelled from the paused item): no pause is left behind.
    await act(async () => h.core.files.interrupted(offer.id));
    await flushBridge();
    expect(within(item(offer.id)).getByTestId('file-paused')).toBeTruthy();
    await h.user.click(within(item(offer.id)).getByRole('button', { name: 'Cancel film.mkv' }));
    await flushBridge();
    expect(h.core.files.cancelled).toEqual([offer.id]);
    expect(within(item(offer.id)).getByTestId('file-status').textContent).toBe('Cancelled by you');
    expect(within(item(offer.id)).queryByTestId('file-paused')).toBeNull();
    expect(h.store.getState().fileInterruptions).toEqual({});
  });

  it('FILE-02: a transfer that was already paused when the window opened (a restart) says so from the listing alone, and the next progress clears it', async () => {
    const h = start();
    const offer = h.core.files.receiveOffer({ from: bob.publicKey, name: 'film.mkv', size: 4_000_000 });
    await h.core.files.handlers['files.accept']({ id: offer.id });
    h.core.files.interrupted(offer.id, 1_000_000);
    await flushBridge();
    // A window that never saw the files.interrupted event: only files.list can tell it.
    act(() => h.store.setState({ fileInterruptions: {} }));
    await openBob(h);
    await waitFor(() => expect(within(item(offer.id)).getByTestId('file-paused').textContent).toBe('Paused — waiting for Bob to reconnect; it continues by itself'));
    expect(within(item(offer.id)).getByTestId('file-progress-text').textContent).toBe('25 % · 977 KB of 3.8 MB');

    await act(async () => h.core.files.progress(offer.id, 2_000_000, { bytesPerSecond: 1_000_000, secondsLeft: 2 }));
    await flushBridge();
    expect(within(item(offer.id)).queryByTestId('file-paused')).toBeNull();
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

  it('FILE-01: a file offered while another page is open shows on the contact in the sidebar until it is answered', async () => {
    const h = start();
    await openBob(h);
    await h.user.click(screen.getByTestId('go-home'));
    const offer = h.core.files.receiveOffer({ from: bob.publicKey, name: 'later.pdf', size: 10 });
    h.core.files.receiveOffer({ from: bob.publicKey, name: 'also.pdf', size: 10 });
    await flushBridge();
    const row = screen.getAllByTestId('contact-row').find((r) => r.dataset.publicKey === bob.publicKey)!;
    expect(within(row).getByRole('img', { name: '2 files waiting for you' }).textContent).toBe('2');
    await openBob(h);
    await h.user.click(within(item(offer.id)).getByRole('button', { name: 'Decline later.pdf' }));
    await flushBridge();
    expect(within(row).getByTestId('file-offers-badge').getAttribute('aria-label')).toBe('1 file waiting for you');
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

import { createEvent, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { FILE_BRIDGE_LIMITS } from '@discordopus/protocol/bridge';
import { describe, expect, it } from 'vitest';
import { flushBridge } from '../../test-support/render-app';
import { bob, bytesOf, heldFile, item, openBob, start, useObjectUrls } from './files-test-kit';

useObjectUrls();

describe('sending files: the sheet, the upload tray, keyboard and drops (FILE-01)', () => {
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

});

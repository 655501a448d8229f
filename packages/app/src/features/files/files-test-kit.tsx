import { act, screen, waitFor, within } from '@testing-library/react';
import { encodeUserId } from '@discordopus/protocol';
import type { FileTransferView } from '@discordopus/protocol/bridge';
import { afterEach, beforeEach, expect } from 'vitest';
import { App } from '../../app';
import { bytesToBase64 } from '../../lib/base64';
import { FAKE_OWN_KEY, fakeContact } from '../../test-support/fake-core';
import { flushBridge, renderWithCore } from '../../test-support/render-app';
import type { PreviewMaker } from './make-preview';
import { PreviewMakerContext } from './send-files-dialog';

/**
 * What the window's file tests share (FILE-01..03): Alice's unlocked app with Bob as a contact on
 * a FakeCore, a stand-in preview maker and object URLs (jsdom has neither canvas nor blob: URLs),
 * and small steps. Call `useObjectUrls()` at the top of a test file.
 */
export const unlocked = {
  session: 'unlocked' as const,
  passphrase: 'correct horse battery',
  identity: { userId: encodeUserId(FAKE_OWN_KEY), displayName: 'Alice' },
};
export const bob = fakeContact(2, { displayName: 'Bob', onlineStatus: 'online' });

/** A real PNG signature and a few bytes: what the bridge's preview check wants to see. */
export const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3, 4]);
export const PREVIEW = { mime: 'image/png' as const, data: bytesToBase64(PNG) };
/** jsdom has no canvas: the test's own preview maker stands in for the window's. */
export const fakePreviewMaker: PreviewMaker = async (file) => (file.type.startsWith('image/') ? PREVIEW : null);

export type Harness = ReturnType<typeof renderWithCore>;

/** jsdom has no object URLs: these stand in, and keep each URL's blob so a test can read what an image shows. */
const objectUrls = new Map<string, Blob>();
const realCreate = URL.createObjectURL;
const realRevoke = URL.revokeObjectURL;
/** Installs the object-URL stand-ins around each test of the calling file. */
export function useObjectUrls(): void {
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
}

/** The bytes an <img> shows, as base64 (it must be a live object URL of this test). */
export async function shownImage(img: HTMLElement): Promise<string> {
  const blob = objectUrls.get(img.getAttribute('src') ?? '');
  if (blob === undefined) throw new Error(`not a live object URL: ${img.getAttribute('src')}`);
  return `${blob.type};${bytesToBase64(new Uint8Array(await blob.arrayBuffer()))}`;
}

export function start(): Harness {
  return renderWithCore(
    <PreviewMakerContext.Provider value={fakePreviewMaker}>
      <App />
    </PreviewMakerContext.Provider>,
    { state: { ...unlocked, contacts: [bob] } },
  );
}

export async function openBob(h: Harness) {
  const row = await waitFor(() => {
    const found = screen.getAllByTestId('contact-row').find((r) => r.dataset.publicKey === bob.publicKey);
    if (found === undefined) throw new Error('no row for Bob');
    return found;
  });
  await h.user.click(within(row).getAllByRole('button')[0] as HTMLElement);
  await waitFor(() => expect(screen.getByTestId('conversation').dataset.publicKey).toBe(bob.publicKey));
  await flushBridge();
}

export function item(id: string): HTMLElement {
  const found = screen.queryAllByTestId('file-item').find((e) => e.dataset.id === id);
  if (found === undefined) throw new Error(`no file item ${id}`);
  return found;
}

export const bytesOf = (n: number) => Uint8Array.from({ length: n }, (_, i) => (i * 31 + 7) % 251);

/** Choose files with the composer's attach button, confirm the sheet; answers the offered transfer. */
export async function sendWithAttach(h: Harness, file: File, caption = ''): Promise<FileTransferView> {
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
export function heldFile(name: string, size: number, lengths: Record<number, number> = {}) {
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


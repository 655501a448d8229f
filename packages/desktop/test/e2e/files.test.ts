import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { crc32, deflateSync } from 'node:zlib';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { E2eRig } from './e2e-rig';
import { row, befriend } from './e2e-steps';
import { screenshotBothThemes } from './e2e-support';

/**
 * File transfer in the whole app (FILE-01..03): two profiles in two headless Chromium windows,
 * each a CoreSession behind its own bridge as the launcher builds them, over a real direct link
 * set up through a real signaling server (loopback only). The window hands the bytes to its
 * desktop over the bridge (it cannot name a path); the receiver's file lands in a downloads folder
 * of this test. The steps share the two windows, like two people chatting.
 */
let rig: E2eRig;
let alice: Page;
let bob: Page;
const ids = { alice: '', bob: '' };
const downloads = mkdtempSync(join(tmpdir(), 'discordopus-e2e-downloads-'));
/** Files alice picks from disk (a big one goes to the browser by path, not through the driver's protocol). */
const picks = mkdtempSync(join(tmpdir(), 'discordopus-e2e-picks-'));

/** A real PNG (a colour gradient), so the window's canvas can make a preview of it. */
function gradientPng(width: number, height: number): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const out = Buffer.alloc(12 + data.length);
    out.writeUInt32BE(data.length, 0);
    body.copy(out, 4);
    out.writeUInt32BE(crc32(body), 8 + data.length);
    return out;
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8); // 8 bits, RGB
  const raw = Buffer.alloc((width * 3 + 1) * height);
  for (let y = 0; y < height; y++) {
    const line = y * (width * 3 + 1);
    for (let x = 0; x < width; x++) raw.set([(x * 255) / width, (y * 255) / height, 128], line + 1 + x * 3);
  }
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  return Buffer.concat([signature, chunk('IHDR', header), chunk('IDAT', deflateSync(raw)), chunk('IEND', Buffer.alloc(0))]);
}

async function openConversation(page: Page, userId: string): Promise<void> {
  await row(page, userId).locator('button').first().click();
  await page.getByTestId('conversation').waitFor();
}

/** The newest file item with this name in a window's conversation. */
function fileItem(page: Page, name: string): Locator {
  return page.getByTestId('file-item').filter({ has: page.getByTestId('file-name').filter({ hasText: new RegExp(`^${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`) }) }).last();
}

/** Choose a file (saved to disk first; the browser takes its type from the name) with the composer's attach button and confirm the sheet. */
async function sendFile(page: Page, file: { name: string; buffer: Buffer }, caption: string | null, expectPreview: boolean): Promise<void> {
  const path = join(picks, file.name);
  writeFileSync(path, file.buffer);
  await page.getByTestId('composer-file-input').setInputFiles(path);
  await confirmSheet(page, file.name, caption, expectPreview);
}

/** The confirm sheet shows this file: add the caption, wait for the preview if there is one, Send. */
async function confirmSheet(page: Page, name: string, caption: string | null, expectPreview: boolean): Promise<void> {
  const sheet = page.getByTestId('send-files-dialog');
  await sheet.waitFor();
  expect(await sheet.getByTestId('send-file-name').textContent()).toBe(name);
  if (expectPreview) await imageShows(sheet.getByTestId('send-file-preview'));
  if (caption !== null) await sheet.getByTestId('send-file-caption').fill(caption);
  await sheet.locator('[data-testid="send-files-confirm"]:not([disabled])').click();
  await sheet.waitFor({ state: 'detached' });
  await fileItem(page, name).waitFor({ timeout: 30_000 });
}

/** A DataTransfer holding files, made in the page (what a drag from the file manager or the clipboard carries). */
function pageFiles(page: Page, files: { name: string; type: string; buffer: Buffer }[]) {
  const plain = files.map((f) => ({ name: f.name, type: f.type, base64: f.buffer.toString('base64') }));
  return page.evaluateHandle((list) => {
    // The page's DOM, typed here by hand (the desktop package compiles without the DOM library).
    interface PageGlobals {
      DataTransfer: new () => { items: { add(file: unknown): void } };
      File: new (parts: Uint8Array[], name: string, options: { type: string }) => unknown;
      atob(text: string): string;
    }
    const w = globalThis as unknown as PageGlobals;
    const transfer = new w.DataTransfer();
    for (const f of list) transfer.items.add(new w.File([Uint8Array.from(w.atob(f.base64), (c) => c.charCodeAt(0))], f.name, { type: f.type }));
    return transfer;
  }, plain);
}

/** The image really shows (the page's CSP allows it, the bytes decode): it has a width. */
async function imageShows(image: Locator): Promise<void> {
  await image.waitFor();
  await image.evaluate((img) => (img as unknown as { decode(): Promise<void> }).decode());
  expect(await image.evaluate((img) => (img as unknown as { naturalWidth: number }).naturalWidth)).toBeGreaterThan(0);
}

/** Records, in the page, every progress bar value shown in the timeline (a fast transfer may show one only briefly). */
async function watchProgress(page: Page): Promise<void> {
  await page.evaluate(() => {
    // The page's DOM, typed here by hand (the desktop package compiles without the DOM library).
    interface Bar {
      getAttribute(name: string): string | null;
    }
    interface PageGlobals {
      seenProgress: string[];
      MutationObserver: new (callback: () => void) => { observe(target: unknown, options: object): void };
      document: { body: unknown; querySelectorAll(selector: string): ArrayLike<Bar> };
    }
    const w = globalThis as unknown as PageGlobals;
    w.seenProgress = [];
    const look = () => {
      for (const bar of Array.from(w.document.querySelectorAll('[data-testid="file-progress"]'))) {
        const text = bar.getAttribute('aria-valuetext') ?? '';
        if (!w.seenProgress.includes(text)) w.seenProgress.push(text);
      }
    };
    new w.MutationObserver(look).observe(w.document.body, { subtree: true, childList: true, attributes: true, attributeFilter: ['aria-valuetext'] });
    look();
  });
}

const seenProgress = (page: Page) => page.evaluate(() => (globalThis as unknown as { seenProgress: string[] }).seenProgress);

beforeAll(async () => {
  rig = await E2eRig.start();
  alice = await rig.open('alice');
  bob = await rig.open('bob');
}, 120_000);

afterAll(async () => {
  await rig?.close();
  rmSync(downloads, { recursive: true, force: true });
  rmSync(picks, { recursive: true, force: true });
});

describe('end to end: files between two Chromium windows (FILE-01..03)', () => {
  it('FILE-03: bob chooses his downloads folder in Settings → Files; both open their conversation', async () => {
    await befriend(alice, bob, ids, 30_000);

    await bob.getByTestId('open-settings').click();
    await bob.getByTestId('settings-tab-files').click();
    await bob.getByTestId('downloads-dir-input').fill(downloads);
    await bob.getByTestId('downloads-dir-save').click();
    await bob.locator('[data-testid="downloads-dir-save"][disabled]').waitFor();
    expect(await bob.getByTestId('downloads-dir-input').inputValue()).toBe(downloads);
    await bob.keyboard.press('Escape');
    await bob.getByTestId('settings-dialog').waitFor({ state: 'detached' });

    await openConversation(alice, ids.bob);
    await openConversation(bob, ids.alice);
  }, 60_000);

  it('FILE-01, FILE-03: alice sends an image with a caption: the preview made in her window shows on both sides; bob accepts and gets the same bytes', async () => {
    const png = gradientPng(640, 480);
    await sendFile(alice, { name: 'sunset.png', buffer: png }, 'The view from here', true);
    const mine = fileItem(alice, 'sunset.png');
    await imageShows(mine.getByTestId('file-preview'));
    expect(await mine.getByTestId('file-caption').textContent()).toBe('The view from here');

    const theirs = fileItem(bob, 'sunset.png');
    await theirs.waitFor({ timeout: 30_000 });
    await imageShows(theirs.getByTestId('file-preview'));
    expect(await theirs.getByTestId('file-preview').getAttribute('data-mime')).toMatch(/^image\/(webp|jpeg)$/);
    expect(await theirs.getByTestId('file-status').textContent()).toBe('Alice wants to send you this file');
    expect(await mine.getByTestId('file-status').textContent()).toBe('Waiting for Bob to accept');

    await theirs.getByRole('button', { name: 'Accept sunset.png' }).click();
    await bob.locator('[data-testid="file-item"][data-state="complete"]').filter({ has: bob.getByText('sunset.png', { exact: true }) }).waitFor({ timeout: 30_000 });
    await alice.locator('[data-testid="file-item"][data-state="complete"]').filter({ has: alice.getByText('sunset.png', { exact: true }) }).waitFor({ timeout: 30_000 });
    const savedAs = ((await theirs.getByTestId('file-saved-as').textContent()) ?? '').replace(/^ — saved as /, '');
    expect(savedAs).toBe('sunset.png');
    expect(readFileSync(join(downloads, savedAs)).equals(png)).toBe(true);
    // "Open folder" asks the desktop to show the folder (recorded by the rig; the file itself is never opened).
    await theirs.getByTestId('file-open-folder').click();
    await expect.poll(() => rig.openedFolders).toEqual([{ profile: 'bob', dir: downloads }]);
    await screenshotBothThemes(bob, 'file-image');
  }, 60_000);

  it('FILE-01: a 16 MiB file: progress shows on both sides, then Complete; the received file is byte-identical', async () => {
    await watchProgress(alice);
    await watchProgress(bob);
    const data = randomBytes(16 * 1024 * 1024);
    await sendFile(alice, { name: 'archive.bin', buffer: data }, null, false);
    const theirs = fileItem(bob, 'archive.bin');
    await theirs.getByRole('button', { name: 'Accept archive.bin' }).click({ timeout: 30_000 });
    await bob.locator('[data-testid="file-item"][data-state="complete"]').filter({ has: bob.getByText('archive.bin', { exact: true }) }).waitFor({ timeout: 45_000 });
    await alice.locator('[data-testid="file-item"][data-state="complete"]').filter({ has: alice.getByText('archive.bin', { exact: true }) }).waitFor({ timeout: 45_000 });
    // The progress bar was on screen on both sides while the bytes flowed (speed and time left when the core had measured them).
    for (const page of [alice, bob]) {
      const seen = await seenProgress(page);
      expect(seen.length).toBeGreaterThan(0);
      expect(seen.every((text) => /^\d+ %, [\d.]+ (bytes|KB|MB) of 16 MB/.test(text))).toBe(true);
    }
    expect(await fileItem(alice, 'archive.bin').getByTestId('file-status').textContent()).toBe('Complete — sent');
    const savedAs = ((await theirs.getByTestId('file-saved-as').textContent()) ?? '').replace(/^ — saved as /, '');
    expect(readFileSync(join(downloads, savedAs)).equals(data)).toBe(true);
  }, 90_000);

  it('FILE-01: alice drops a file on the conversation ("Drop to send to Bob"); bob declines it: both sides say so and nothing lands in the folder', async () => {
    const files = await pageFiles(alice, [{ name: 'unwanted.txt', type: 'text/plain', buffer: Buffer.from('no thanks') }]);
    const conversation = alice.getByTestId('conversation');
    await conversation.dispatchEvent('dragenter', { dataTransfer: files });
    expect(await alice.getByTestId('drop-overlay').textContent()).toBe('Drop to send to Bob');
    await conversation.dispatchEvent('drop', { dataTransfer: files });
    await alice.getByTestId('drop-overlay').waitFor({ state: 'detached' });
    await confirmSheet(alice, 'unwanted.txt', null, false);
    const theirs = fileItem(bob, 'unwanted.txt');
    await theirs.getByRole('button', { name: 'Decline unwanted.txt' }).click({ timeout: 30_000 });
    await bob.locator('[data-testid="file-item"][data-state="declined"]').filter({ has: bob.getByText('unwanted.txt', { exact: true }) }).waitFor();
    expect(await theirs.getByTestId('file-status').textContent()).toBe('Declined by you');
    const mine = alice.locator('[data-testid="file-item"][data-state="declined"]').filter({ has: alice.getByText('unwanted.txt', { exact: true }) });
    await mine.waitFor({ timeout: 30_000 });
    expect(await mine.getByTestId('file-status').textContent()).toBe('Declined by Bob');
    expect(() => readFileSync(join(downloads, 'unwanted.txt'))).toThrow();
  });

  it('FILE-01: alice pastes an image (Ctrl+V) and cancels it before bob accepts: both sides show it cancelled, with no buttons left', async () => {
    const files = await pageFiles(alice, [{ name: 'oops.png', type: 'image/png', buffer: gradientPng(64, 48) }]);
    const pasted = await alice.getByTestId('composer-input').evaluate((input, clipboardData) => {
      interface PageGlobals {
        ClipboardEvent: new (type: string, init: { clipboardData: unknown; bubbles: boolean; cancelable: boolean }) => { defaultPrevented: boolean };
      }
      const event = new (globalThis as unknown as PageGlobals).ClipboardEvent('paste', { clipboardData, bubbles: true, cancelable: true });
      (input as unknown as { dispatchEvent(e: unknown): void }).dispatchEvent(event);
      return event.defaultPrevented;
    }, files);
    expect(pasted).toBe(true);
    await confirmSheet(alice, 'oops.png', null, true);
    await fileItem(bob, 'oops.png').getByRole('button', { name: 'Accept oops.png' }).waitFor({ timeout: 30_000 });
    await imageShows(fileItem(bob, 'oops.png').getByTestId('file-preview'));
    await fileItem(alice, 'oops.png').getByRole('button', { name: 'Cancel oops.png' }).click();
    const mine = alice.locator('[data-testid="file-item"][data-state="cancelled"]').filter({ has: alice.getByText('oops.png', { exact: true }) });
    await mine.waitFor();
    expect(await mine.getByTestId('file-status').textContent()).toBe('Cancelled by you');
    const theirs = bob.locator('[data-testid="file-item"][data-state="cancelled"]').filter({ has: bob.getByText('oops.png', { exact: true }) });
    await theirs.waitFor({ timeout: 30_000 });
    expect(await theirs.getByTestId('file-status').textContent()).toBe('Cancelled by Alice');
    expect(await theirs.getByRole('button').count()).toBe(0);
  });

  it('no window logged a console error or threw', () => {
    expect(rig.problems()).toEqual([]);
  });
});

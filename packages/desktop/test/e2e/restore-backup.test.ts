import { ed25519 } from '@noble/curves/ed25519.js';
import { join } from 'node:path';
import { encodeUserId } from '@discordopus/protocol';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { E2eRig } from './e2e-rig';
import { screenshotBothThemes } from './e2e-support';

/**
 * IDEN-03 (issue 15, item 2) in headless Chromium: a profile with a renamed, verified contact
 * and a changed setting exports a backup from Settings; a second profile restores it from the
 * first-run screen and has the same identity, the contact with its nickname and verification,
 * and the setting.
 */
const PASSPHRASE = 'purple tiger drinks tea';

let rig: E2eRig;

function openProfile(profile: string): Promise<Page> {
  return rig.open(profile);
}

beforeAll(async () => {
  rig = await E2eRig.start();
}, 120_000);

afterAll(async () => {
  await rig?.close();
});

describe('end to end: a backup carries the contacts and settings (IDEN-03, issue 15 item 2)', () => {
  it('restores the identity, the renamed and verified contact and the theme on another profile', async () => {
    const desk = await openProfile('desk');
    await desk.getByTestId('first-run-screen').waitFor();
    await desk.getByTestId('display-name-input').fill('Alice');
    await desk.getByTestId('passphrase-input').fill(PASSPHRASE);
    await desk.getByTestId('passphrase-confirm-input').fill(PASSPHRASE);
    await desk.getByTestId('create-identity-submit').click();
    await desk.getByTestId('main-screen').waitFor();
    const ownId = ((await desk.getByTestId('welcome-own-id').textContent()) ?? '').trim();

    const bobId = encodeUserId(ed25519.getPublicKey(ed25519.utils.randomSecretKey()));
    await desk.getByTestId('open-add-contact').click();
    await desk.getByTestId('add-contact-id-input').fill(bobId);
    await desk.getByTestId('add-contact-submit').click();
    await desk.getByTestId('add-contact-dialog').waitFor({ state: 'detached' });
    const bobRow = (page: Page) => page.locator(`[data-testid="contact-row"][data-user-id="${bobId}"]`);
    await bobRow(desk).locator('button').first().click();
    await desk.getByTestId('details-rename').click();
    await desk.getByTestId('rename-contact-input').fill('Bobby');
    await desk.getByTestId('rename-contact-submit').click();
    await bobRow(desk).getByTestId('contact-name').filter({ hasText: 'Bobby' }).waitFor();
    await desk.getByTestId('details-verify').click();
    await desk.getByTestId('verify-contact').click();
    await desk.getByTestId('verification-state').filter({ hasText: 'Verified' }).waitFor();
    await desk.keyboard.press('Escape');

    await desk.getByTestId('open-settings').click();
    await desk.getByTestId('settings-tab-appearance').click();
    await desk.getByTestId('theme-dark').click();
    await desk.locator('html.dark').waitFor({ state: 'attached' });
    await desk.getByTestId('settings-tab-identity').click();
    await desk.getByTestId('export-backup-passphrase').fill(PASSPHRASE);
    const [download] = await Promise.all([desk.waitForEvent('download'), desk.getByTestId('export-backup-submit').click()]);
    const backupPath = join(rig.home, 'alice.dopus-backup');
    await download.saveAs(backupPath);
    await desk.keyboard.press('Escape');

    const laptop = await openProfile('laptop');
    await laptop.getByTestId('first-run-screen').waitFor();
    // Issue 15 item 10: a fresh window on a light system is light before any profile is open.
    expect((await laptop.locator('html').getAttribute('class')) ?? '').not.toMatch(/\bdark\b/);
    await laptop.getByTestId('tab-restore').click();
    await laptop.getByTestId('restore-takeover-note').waitFor();
    expect(await laptop.getByTestId('restore-takeover-note').textContent()).toMatch(/takes your identity over from the\s+first/);
    await laptop.getByTestId('backup-file-input').setInputFiles(backupPath);
    await laptop.getByTestId('backup-file-name').filter({ hasText: 'alice.dopus-backup' }).waitFor();
    // The file name appears once: the browser's own file button (which repeats it) is hidden.
    expect(await laptop.getByText('alice.dopus-backup', { exact: true }).count()).toBe(1);
    await screenshotBothThemes(laptop, 'restore-backup');
    await laptop.getByTestId('backup-passphrase-input').fill(PASSPHRASE);
    await laptop.getByTestId('passphrase-input').fill('another computer passphrase');
    await laptop.getByTestId('passphrase-confirm-input').fill('another computer passphrase');
    await laptop.getByTestId('restore-submit').click();
    await laptop.getByTestId('main-screen').waitFor();

    expect(((await laptop.getByTestId('welcome-own-id').textContent()) ?? '').trim()).toBe(ownId);
    expect(await bobRow(laptop).getByTestId('contact-name').textContent()).toBe('Bobby');
    await bobRow(laptop).and(laptop.locator('[data-verified="true"]')).getByTestId('verified-badge').waitFor();
    // The restored theme setting: dark although the window's system scheme is light.
    await laptop.locator('html.dark').waitFor({ state: 'attached' });
    expect(rig.problems()).toEqual([]);
  });
});

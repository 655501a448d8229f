import { rmSync } from 'node:fs';
import { silentLogger, TEST_ONLY_CHEAP_SCRYPT } from '@discordopus/core';
import { startSignalingServer, type RunningServer } from '@discordopus/server';
import { waitFor } from '@discordopus/test-support';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchProfile, type LaunchedProfile } from '../../src/launcher/launch-profile';
import { removeTempHomes, tempHome } from '../helpers/sessions';
import { createIdentity, row } from './e2e-steps';
import { type AppPage, buildAppForTest, launchChromium, LOOPBACK_LINKS, openAppPage, screenshotBothThemes } from './e2e-support';

/**
 * Contact requests in the whole app (CONT-06): two profiles, each a CoreSession behind its own
 * bridge server as the launcher builds them, in two Chromium windows, against one real
 * signaling server. Alice adds Bob with a note: she sees "Pending", he sees her request and
 * accepts it from his window; later he blocks her, her next request never shows, he unblocks
 * her in Settings and accepts her again. The steps run in order and share the two windows.
 */
let appDir: string;
let server: RunningServer;
let browser: Browser;
const profiles: LaunchedProfile[] = [];
const windows: AppPage[] = [];
let alice: Page;
let bob: Page;
const ids = { alice: '', bob: '' };

async function addWithNote(page: Page, userId: string, note: string): Promise<void> {
  await page.getByTestId('open-add-contact').click();
  await page.getByTestId('add-contact-id-input').fill(userId);
  await page.getByTestId('add-contact-id-ok').waitFor();
  await page.getByTestId('add-contact-note-input').fill(note);
  await page.getByTestId('add-contact-submit').click();
  await page.getByTestId('add-contact-dialog').waitFor({ state: 'detached' });
}

async function removeContact(page: Page, userId: string): Promise<void> {
  await row(page, userId).getByTestId('contact-actions').click();
  await page.getByTestId('contact-action-remove').click();
  await page.getByTestId('remove-contact-confirm').click();
  await row(page, userId).waitFor({ state: 'detached' });
}

function bobsRequests() {
  const requests = profiles[1]?.session.core?.requests;
  if (!requests) throw new Error('bob has no running core');
  return requests;
}

beforeAll(async () => {
  appDir = buildAppForTest();
  server = await startSignalingServer({ host: '127.0.0.1', port: 0, offlineGraceMs: 0, logLevel: 'silent' }, { processMetrics: false });
  browser = await launchChromium();
  const home = tempHome();
  for (const profile of ['alice', 'bob']) {
    const launched = await launchProfile({
      profile,
      home,
      servers: [server.url],
      embedded: null,
      appDir,
      browser: null,
      logger: silentLogger,
      kdf: TEST_ONLY_CHEAP_SCRYPT,
      network: LOOPBACK_LINKS,
    });
    profiles.push(launched);
    windows.push(await openAppPage(browser, launched.issueAppUrl()));
  }
  [alice, bob] = windows.map((w) => w.page) as [Page, Page];
  ids.alice = await createIdentity(alice, 'Alice');
  ids.bob = await createIdentity(bob, 'Bob');
  for (const page of [alice, bob]) await page.locator('[data-testid="connection-indicator"][data-state="connected"]').waitFor();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  for (const p of profiles) await p.shutdown();
  await server?.close();
  removeTempHomes();
  if (appDir) rmSync(appDir, { recursive: true, force: true });
});

describe('end to end: contact requests between two windows (CONT-06)', () => {
  it('CONT-06: Alice adds Bob with a note; she sees Pending, he sees her request with the note', async () => {
    await addWithNote(alice, ids.bob, 'Hi Bob, Alice from the climbing club');
    await row(alice, ids.bob, '[data-pending="true"]').waitFor();
    expect(await row(alice, ids.bob).getByTestId('contact-subtitle').textContent()).toMatch(/^Pending/);
    const request = bob.getByTestId('request-row');
    await request.waitFor();
    expect(await request.getByTestId('request-name').textContent()).toBe('Alice');
    expect(await request.getByTestId('request-note').textContent()).toBe('Hi Bob, Alice from the climbing club');
    await screenshotBothThemes(bob, 'contact-request-incoming');
    await screenshotBothThemes(alice, 'contact-request-pending');
  });

  it('CONT-06: Bob accepts from his window; both become mutual and see each other online', async () => {
    await bob.getByTestId('request-accept').click();
    await bob.getByTestId('requests-section').waitFor({ state: 'detached' });
    await row(bob, ids.alice, '[data-status="online"]').waitFor();
    await row(alice, ids.bob, '[data-status="online"][data-pending="false"]').waitFor();
    // Her signed display name came with the request.
    expect(await row(bob, ids.alice).getByTestId('contact-name').textContent()).toBe('Alice');
  });

  it('CONT-06: Bob blocks Alice: she sees him offline, and her next request never shows in his window', async () => {
    await row(bob, ids.alice).getByTestId('contact-actions').click();
    await bob.getByTestId('contact-action-block').click();
    await bob.getByTestId('block-contact-confirm').click();
    await row(bob, ids.alice).waitFor({ state: 'detached' });
    await row(alice, ids.bob, '[data-status="offline"]').waitFor();

    await removeContact(alice, ids.bob);
    await addWithNote(alice, ids.bob, 'why did you block me?');
    await waitFor(() => bobsRequests().stats().BLOCKED === 1, 'bob’s core dropped the blocked request');
    expect(await bob.getByTestId('request-row').count()).toBe(0);
    expect(await row(bob, ids.alice).count()).toBe(0);
  });

  it('CONT-06: Bob unblocks Alice in Settings → Blocked users; her next request arrives and he accepts it', async () => {
    await bob.getByTestId('open-settings').click();
    await bob.getByTestId('settings-tab-blocked').click();
    const blocked = bob.getByTestId('blocked-user');
    await blocked.waitFor();
    expect(await blocked.textContent()).toContain('Alice');
    await screenshotBothThemes(bob, 'settings-blocked-users');
    await blocked.getByTestId('unblock-user').click();
    await bob.getByTestId('blocked-users-empty').waitFor();
    await bob.keyboard.press('Escape');
    await bob.getByTestId('settings-dialog').waitFor({ state: 'detached' });

    await removeContact(alice, ids.bob);
    await addWithNote(alice, ids.bob, 'friends again?');
    await bob.getByTestId('request-note').filter({ hasText: 'friends again?' }).waitFor();
    await bob.getByTestId('request-accept').click();
    await row(bob, ids.alice, '[data-status="online"]').waitFor();
    await row(alice, ids.bob, '[data-status="online"][data-pending="false"]').waitFor();
    for (const w of windows) expect(w.problems).toEqual([]);
  });
});

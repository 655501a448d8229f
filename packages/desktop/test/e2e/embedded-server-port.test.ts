import { rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { silentLogger, TEST_ONLY_CHEAP_SCRYPT } from '@discordopus/core';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchProfile, type LaunchedProfile } from '../../src/launcher/launch-profile';
import { SharedEmbeddedServer } from '../../src/launcher/shared-embedded-server';
import { FAST_RECONNECT, removeTempHomes, tempHome } from '../helpers/sessions';
import { type AppPage, buildAppForTest, launchChromium, LOOPBACK_LINKS, openAppPage, screenshotBothThemes } from './e2e-support';

/**
 * Issue 15, item 3, in headless Chromium: a foreign program holds the embedded server's usual
 * port. Two launchers of one home (each with its own SharedEmbeddedServer, as two `npm start`
 * runs have) must still meet on one server: their users see each other online, and both windows
 * say that the server moved.
 */
const PASSPHRASE = 'purple tiger drinks tea';

let appDir: string;
let browser: Browser;
let foreign: Server;
let usualPort: number;
const profiles: LaunchedProfile[] = [];
const embedded: SharedEmbeddedServer[] = [];
const windows: AppPage[] = [];

async function launcher(profile: string, home: string): Promise<Page> {
  const server = new SharedEmbeddedServer({ port: usualPort, logger: silentLogger, home });
  embedded.push(server);
  const launched = await launchProfile({ profile, home, servers: [], embedded: server, appDir, browser: null, logger: silentLogger, kdf: TEST_ONLY_CHEAP_SCRYPT, network: { ...LOOPBACK_LINKS, policy: FAST_RECONNECT } });
  profiles.push(launched);
  const window = await openAppPage(browser, launched.issueAppUrl());
  windows.push(window);
  return window.page;
}

async function createIdentity(page: Page, name: string): Promise<string> {
  await page.getByTestId('first-run-screen').waitFor();
  await page.getByTestId('display-name-input').fill(name);
  await page.getByTestId('passphrase-input').fill(PASSPHRASE);
  await page.getByTestId('passphrase-confirm-input').fill(PASSPHRASE);
  await page.getByTestId('create-identity-submit').click();
  await page.getByTestId('main-screen').waitFor();
  return ((await page.getByTestId('welcome-own-id').textContent()) ?? '').trim();
}

async function addContact(page: Page, userId: string): Promise<void> {
  await page.getByTestId('open-add-contact').click();
  await page.getByTestId('add-contact-id-input').fill(userId);
  await page.getByTestId('add-contact-submit').click();
  await page.getByTestId('add-contact-dialog').waitFor({ state: 'detached' });
}

beforeAll(async () => {
  appDir = buildAppForTest();
  browser = await launchChromium();
  foreign = createServer((_req, res) => res.end('not DiscordOpus'));
  await new Promise<void>((resolve) => foreign.listen(0, '127.0.0.1', resolve));
  usualPort = (foreign.address() as AddressInfo).port;
}, 120_000);

afterAll(async () => {
  await browser?.close();
  for (const p of profiles) await p.shutdown();
  for (const e of embedded) await e.close();
  await new Promise((resolve) => foreign?.close(resolve));
  removeTempHomes();
  if (appDir) rmSync(appDir, { recursive: true, force: true });
});

describe('end to end: a foreign program on the usual port does not split local users (issue 15 item 3, UI-01)', () => {
  it('both windows say the server moved, and the two users see each other online', async () => {
    const home = tempHome();
    const alice = await launcher('alice', home);
    const bob = await launcher('bob', home);
    const aliceId = await createIdentity(alice, 'Alice');
    const bobId = await createIdentity(bob, 'Bob');
    for (const page of [alice, bob]) {
      await page.locator('[data-testid="connection-indicator"][data-state="connected"]').waitFor();
      const note = page.getByTestId('signaling-note');
      await note.waitFor();
      expect(await note.textContent()).toMatch(new RegExp(`could not use its usual port ${usualPort} \\(another program has it\\), so it runs on port \\d+`));
    }
    expect(new Set(profiles.map((p) => p.session.signalingUrls?.[0])).size).toBe(1);
    await addContact(alice, bobId);
    await addContact(bob, aliceId);
    await alice.locator(`[data-testid="contact-row"][data-user-id="${bobId}"][data-status="online"]`).waitFor();
    await bob.locator(`[data-testid="contact-row"][data-user-id="${aliceId}"][data-status="online"]`).waitFor();
    await screenshotBothThemes(alice, 'embedded-server-moved');
    expect(windows.flatMap((w) => w.problems)).toEqual([]);
  });
});

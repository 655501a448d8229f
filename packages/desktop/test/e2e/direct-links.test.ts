import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCoturn } from '@discordopus/test-support/coturn';
import { E2eRig } from './e2e-rig';
import { row, select, befriend } from './e2e-steps';
import { screenshotBothThemes } from './e2e-support';

/**
 * Direct links in the whole app (P2P-01, P2P-03, P2P-05): two profiles, each a CoreSession behind
 * its own bridge server as the launcher builds them, in two Chromium windows, against a real
 * signaling server that issues TURN credentials for a real coturn on loopback. Every ICE
 * candidate stays on 127.0.0.1 (relayed ones on 127.0.0.2). The steps share the two windows.
 */
const TURN_SECRET = 'e2e-direct-links-secret';

let coturn: Awaited<ReturnType<typeof startCoturn>>;
let rig: E2eRig;
let alice: Page;
let bob: Page;
const ids = { alice: '', bob: '' };

/** The header's link label once it reads like `pattern` (an open link with a measured round trip). */
async function headerLink(page: Page, path: 'direct' | 'relayed', pattern: RegExp): Promise<string> {
  const link = page.locator(`[data-testid="header-link"][data-state="open"][data-path="${path}"]`);
  await link.filter({ hasText: pattern }).waitFor({ timeout: 30_000 });
  return (await link.textContent()) ?? '';
}

async function setRelayOnly(page: Page, on: boolean): Promise<void> {
  await page.getByTestId('open-settings').click();
  await page.getByTestId('settings-dialog').waitFor();
  const toggle = page.getByTestId('relay-only-switch');
  if ((await toggle.getAttribute('aria-checked')) !== String(on)) await toggle.click();
  await page.locator(`[data-testid="relay-only-switch"][aria-checked="${on}"]`).waitFor();
}

async function closeSettings(page: Page): Promise<void> {
  await page.keyboard.press('Escape');
  await page.getByTestId('settings-dialog').waitFor({ state: 'detached' });
}

beforeAll(async () => {
  coturn = await startCoturn(TURN_SECRET);
  rig = await E2eRig.start({ server: { turnUrls: [`turn:127.0.0.1:${coturn.port}?transport=udp`], turnSecret: TURN_SECRET } });
  alice = await rig.open('alice');
  bob = await rig.open('bob');
}, 120_000);

afterAll(async () => {
  await rig?.close();
  await coturn?.stop();
});

describe('end to end: direct links between two Chromium windows (P2P-01, P2P-03, P2P-05)', () => {
  it('P2P-01, P2P-05: mutual contacts; selecting bob opens a direct link, the header shows "Direct · N ms" and bob\'s own name appears', async () => {
    await befriend(alice, bob, ids);

    await select(alice, ids.bob);
    expect(await headerLink(alice, 'direct', /^Direct · \d+ ms$/)).toMatch(/^Direct · \d+ ms$/);
    // P2P-05: the signed cards went both ways right after the handshake.
    await row(alice, ids.bob).getByTestId('contact-name').filter({ hasText: /^Bob$/ }).waitFor();
    expect(await alice.getByRole('heading', { level: 1 }).textContent()).toBe('Bob');
    await row(bob, ids.alice).getByTestId('contact-name').filter({ hasText: /^Alice$/ }).waitFor();
    await screenshotBothThemes(alice, 'link-direct');
  });

  it('P2P-05: bob renames himself in Settings → Identity; alice\'s list and header follow at once', async () => {
    await bob.getByTestId('open-settings').click();
    await bob.getByTestId('settings-tab-identity').click();
    await bob.getByTestId('own-display-name-input').fill('Robert');
    await bob.getByTestId('own-display-name-save').click();
    await bob.getByText(/Saved\. Contacts online now see “Robert”/).waitFor();
    await screenshotBothThemes(bob, 'settings-display-name');
    await closeSettings(bob);
    expect(await bob.getByTestId('own-display-name').textContent()).toBe('Robert');

    await row(alice, ids.bob).getByTestId('contact-name').filter({ hasText: /^Robert$/ }).waitFor();
    expect(await alice.getByRole('heading', { level: 1 }).textContent()).toBe('Robert');
  });

  it('P2P-03: with relay-only set on both and a real coturn, the link is relayed and the header says so', async () => {
    await setRelayOnly(alice, true);
    await screenshotBothThemes(alice, 'settings-relay-only');
    await closeSettings(alice);
    await setRelayOnly(bob, true);
    await closeSettings(bob);
    // The core closed the direct link for being direct; the window still showing bob asked for a
    // new one, which goes through the relay.
    expect(await headerLink(alice, 'relayed', /^Relayed · \d+ ms$/)).toMatch(/^Relayed · \d+ ms$/);
    await row(alice, ids.bob).getByTestId('contact-name').filter({ hasText: /^Robert$/ }).waitFor();
    await screenshotBothThemes(alice, 'link-relayed');
  });

  it('no window logged a console error or threw', () => {
    expect(rig.problems()).toEqual([]);
  });
});

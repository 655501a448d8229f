import type { LaunchedProfile } from '../../src/launcher/launch-profile';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { E2eRig } from './e2e-rig';
import { E2E_PASSPHRASE, row, befriend } from './e2e-steps';
import { openAppPage } from './e2e-support';

/**
 * Messages across closed apps, restarts, invisibility and a block (MSG-02, PRES-01, CONT-06), in the whole app:
 * two profiles launched as the launcher does, each in a headless Chromium window, a real
 * signaling server and real direct links on loopback. The steps run in order and share the rig.
 */
let rig: E2eRig;
let alice: Page;
let bob: Page;
const launched: { alice: LaunchedProfile | undefined; bob: LaunchedProfile | undefined } = { alice: undefined, bob: undefined };
const ids = { alice: '', bob: '' };
const TEXTS = ['first while you were away', 'second while you were away', 'third while you were away'];

async function openConversation(page: Page, userId: string): Promise<void> {
  await row(page, userId).locator('button').first().click();
  await page.getByTestId('conversation').waitFor();
}

/** A message row with exactly this text. */
function message(page: Page, text: string): Locator {
  const exact = new RegExp(`^${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`);
  return page.getByTestId('message').filter({ has: page.getByTestId('message-text').filter({ hasText: exact }) });
}

function stateOf(page: Page, text: string, state: string): Locator {
  return message(page, text).locator(`[data-testid="message-state"][data-state="${state}"]`);
}

async function shownTexts(page: Page): Promise<string[]> {
  return page.getByTestId('message-text').allTextContents();
}

/** Close a profile's window and app, then launch it again and unlock it in a new window. */
async function restart(name: 'alice' | 'bob', page: Page): Promise<Page> {
  await page.close();
  await launched[name]?.shutdown();
  const again = await rig.launch(name);
  launched[name] = again;
  const window = await openAppPage(rig.browser, again.issueAppUrl());
  rig.windows.push(window);
  await window.page.getByTestId('unlock-screen').waitFor();
  await window.page.getByTestId('unlock-passphrase-input').fill(E2E_PASSPHRASE);
  await window.page.getByTestId('unlock-submit').click();
  await window.page.getByTestId('main-screen').waitFor();
  return window.page;
}

async function setStatus(page: Page, status: 'online' | 'invisible'): Promise<void> {
  await page.getByTestId('status-selector').click();
  await page.getByTestId(`status-option-${status}`).click();
  await page.locator(`[data-testid="status-selector"][data-status="${status}"]`).waitFor();
}

beforeAll(async () => {
  rig = await E2eRig.start();
  alice = await rig.open('alice');
  bob = await rig.open('bob');
  [launched.alice, launched.bob] = rig.profiles;
  await befriend(alice, bob, ids, 30_000);
}, 120_000);

afterAll(async () => {
  await rig?.close();
});

describe('end to end: messages while the other app is closed, across restarts, while invisible and after a block (MSG-02, PRES-01, CONT-06)', () => {
  it('MSG-02, MSG-01: bob\'s app is closed; alice\'s three messages wait queued, arrive in order when he starts, and turn delivered, then read only once his window shows them', async () => {
    await bob.close();
    await launched.bob?.shutdown();
    await row(alice, ids.bob, '[data-status="offline"]').waitFor({ timeout: 30_000 });

    await openConversation(alice, ids.bob);
    const input = alice.getByTestId('composer-input');
    for (const text of TEXTS) {
      await input.fill(text);
      await input.press('Enter');
      await stateOf(alice, text, 'queued').waitFor();
    }
    expect(await shownTexts(alice)).toEqual(TEXTS);

    bob = await restart('bob', bob);
    // Bob is Home: the three arrive unseen, so they count as unread and alice sees them delivered, not read.
    await row(bob, ids.alice).getByTestId('unread-badge').filter({ hasText: /^3$/ }).waitFor({ timeout: 60_000 });
    for (const text of TEXTS) await stateOf(alice, text, 'delivered').waitFor({ timeout: 30_000 });
    expect(await alice.locator('[data-testid="message-state"][data-state="read"]').count()).toBe(0);

    await openConversation(bob, ids.alice);
    await message(bob, TEXTS[2]!).waitFor();
    expect(await shownTexts(bob)).toEqual(TEXTS);
    for (const text of TEXTS) await stateOf(alice, text, 'read').waitFor({ timeout: 30_000 });
  }, 150_000);

  it('MSG-02: after alice\'s app restarts, the conversation is there as it was, in order, with its ticks', async () => {
    alice = await restart('alice', alice);
    await openConversation(alice, ids.bob);
    await message(alice, TEXTS[2]!).waitFor();
    expect(await shownTexts(alice)).toEqual(TEXTS);
    for (const text of TEXTS) expect(await stateOf(alice, text, 'read').count()).toBe(1);
  }, 90_000);

  it('PRES-01, P2P-01: invisible alice viewing bob\'s conversation opens no link when he comes online; her message does, and reaches him', async () => {
    await setStatus(alice, 'invisible');
    await row(bob, ids.alice, '[data-status="offline"]').waitFor({ timeout: 30_000 });
    await alice.getByTestId('composer-invisible-hint').filter({ hasText: 'sending a message reveals to Bob that you are online' }).waitFor();
    // Bob goes away and comes back while alice keeps his conversation open: the app asks (auto) and is refused.
    bob = await restart('bob', bob);
    await row(alice, ids.bob, '[data-status="online"]').waitFor({ timeout: 30_000 });
    // A later call from alice's window on the same bridge socket: the app's open was handled before it.
    await alice.getByTestId('message-search').fill('no such words');
    await alice.getByTestId('message-search').press('Enter');
    await alice.getByTestId('search-results').filter({ hasText: '0 results' }).waitFor();
    await alice.getByTestId('message-search').press('Escape');
    expect(launched.alice?.session.core?.links()).toEqual([]);
    expect(await alice.getByTestId('header-link').count()).toBe(0);

    // Sending is her own act: it opens the link (revealing her to bob only) and the message arrives.
    const input = alice.getByTestId('composer-input');
    await input.fill('psst, it is me');
    await input.press('Enter');
    await stateOf(alice, 'psst, it is me', 'delivered').waitFor({ timeout: 30_000 });
    await openConversation(bob, ids.alice);
    await message(bob, 'psst, it is me').waitFor();
    await setStatus(alice, 'online');
  }, 120_000);

  it('CONT-06: alice blocks bob; a message he sends stays not delivered on his side and never shows in her window', async () => {
    await row(bob, ids.alice, '[data-status="online"]').waitFor({ timeout: 30_000 });
    await row(alice, ids.bob).getByTestId('contact-actions').click();
    await alice.getByTestId('contact-action-block').click();
    await alice.getByTestId('block-contact-confirm').click();
    await row(alice, ids.bob).waitFor({ state: 'detached' });
    // She is no longer his mutual contact: he sees her offline, and no link can be set up.
    await row(bob, ids.alice, '[data-status="offline"]').waitFor({ timeout: 30_000 });

    const text = 'why did you block me?';
    const input = bob.getByTestId('composer-input');
    await input.fill(text);
    await input.press('Enter');
    await stateOf(bob, text, 'queued').waitFor();
    // Even an explicit open of the link is refused: the message has no way to her.
    const bobCore = launched.bob?.session.core;
    const aliceCore = launched.alice?.session.core;
    if (!bobCore || !aliceCore) throw new Error('a core is not running');
    const aliceKey = await row(bob, ids.alice).getAttribute('data-public-key');
    if (aliceKey === null) throw new Error('no key on alice\'s row');
    expect(bobCore.openLink(aliceKey, { intent: 'user' })).toMatchObject({ ok: false, code: 'NOT_MUTUAL_ONLINE' });
    expect(aliceCore.links()).toEqual([]);
    expect(await stateOf(bob, text, 'queued').count()).toBe(1);
    expect(await alice.getByText(text).count()).toBe(0);
    // No unread count in her title either.
    expect(await alice.title()).not.toMatch(/^\(/);
  }, 90_000);

  it('no window logged a console error or threw', () => {
    expect(rig.problems()).toEqual([]);
  });
});

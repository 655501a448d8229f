import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { E2eRig } from './e2e-rig';
import { row, befriend } from './e2e-steps';
import { screenshotBothThemes } from './e2e-support';

/**
 * Direct messages in the whole app (MSG-01, MSG-03, MSG-04): two profiles in two headless
 * Chromium windows, each a CoreSession behind its own bridge as the launcher builds them, talking
 * over a real direct link set up through a real signaling server (loopback only). The steps share
 * the two windows, like two people chatting.
 */
let rig: E2eRig;
let alice: Page;
let bob: Page;
const ids = { alice: '', bob: '' };

/** Open a contact's conversation from the sidebar. */
async function openConversation(page: Page, userId: string): Promise<void> {
  await row(page, userId).locator('button').first().click();
  await page.getByTestId('conversation').waitFor();
}

/** A message row with exactly this text. */
function message(page: Page, text: string): Locator {
  const exact = new RegExp(`^${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`);
  return page.getByTestId('message').filter({ has: page.getByTestId('message-text').filter({ hasText: exact }) });
}

async function send(page: Page, text: string): Promise<void> {
  const input = page.getByTestId('composer-input');
  await input.fill(text);
  await input.press('Enter');
  await message(page, text).waitFor();
}

/** A message's hover action (they show on hover, as in Discord). */
async function action(page: Page, row: Locator, testId: string): Promise<void> {
  await row.hover();
  await row.getByTestId(testId).click();
}

beforeAll(async () => {
  rig = await E2eRig.start();
  alice = await rig.open('alice');
  bob = await rig.open('bob');
}, 120_000);

afterAll(async () => {
  await rig?.close();
});

describe('end to end: direct messages between two Chromium windows (MSG-01, MSG-03, MSG-04)', () => {
  it('MSG-01, MSG-04: alice writes; bob sees an unread badge, opens the conversation, and alice\'s tick turns to read', async () => {
    await befriend(alice, bob, ids);
    // Adding a contact selects it: bob goes back Home, so alice's message arrives unseen.
    await bob.getByTestId('go-home').click();

    await openConversation(alice, ids.bob);
    await send(alice, 'Hi Bob, lunch at noon?');
    // Bob has not opened the conversation: one unread, also in his window title.
    await row(bob, ids.alice).getByTestId('unread-badge').filter({ hasText: /^1$/ }).waitFor({ timeout: 30_000 });
    expect(await bob.title()).toBe('(1) DiscordOpus');
    await message(alice, 'Hi Bob, lunch at noon?').locator('[data-testid="message-state"][data-state="delivered"]').waitFor();

    await openConversation(bob, ids.alice);
    await message(bob, 'Hi Bob, lunch at noon?').waitFor();
    await row(bob, ids.alice).getByTestId('unread-badge').waitFor({ state: 'detached' });
    expect(await bob.title()).toBe('DiscordOpus');
    await message(alice, 'Hi Bob, lunch at noon?').locator('[data-testid="message-state"][data-state="read"]').waitFor({ timeout: 30_000 });
  }, 60_000);

  it('MSG-01, MSG-03: bob replies with a quote; alice sees the reply and bob typing before it', async () => {
    await action(bob, message(bob, 'Hi Bob, lunch at noon?'), 'message-reply');
    await bob.getByTestId('composer-reply').waitFor();
    await bob.getByTestId('composer-input').pressSequentially('Sure');
    await alice.getByTestId('typing-indicator').filter({ hasText: 'Bob is typing…' }).waitFor({ timeout: 30_000 });
    await bob.getByTestId('composer-input').fill('Sure, see you there');
    await bob.getByTestId('composer-input').press('Enter');
    const reply = message(alice, 'Sure, see you there');
    await reply.waitFor({ timeout: 30_000 });
    expect(await reply.getByTestId('message-quote').textContent()).toContain('Hi Bob, lunch at noon?');
    // Sending stops the typing notice.
    await alice.getByTestId('typing-indicator').filter({ hasText: /^$/ }).waitFor({ timeout: 30_000 });
  });

  it('MSG-03: a reaction, an edit and a delete by alice show the same on both sides', async () => {
    await action(alice, message(alice, 'Sure, see you there'), 'message-react');
    await alice.locator('[data-testid="reaction-choice"][data-emoji="👍"]').click();
    for (const page of [alice, bob]) {
      await message(page, 'Sure, see you there').locator('[data-testid="reaction"][data-emoji="👍"]').filter({ hasText: '1' }).waitFor({ timeout: 30_000 });
    }

    await send(alice, 'I will bring the cake');
    await action(alice, message(alice, 'I will bring the cake'), 'message-edit');
    const editor = alice.getByTestId('message-edit-input');
    await editor.fill('I will bring the pie');
    await editor.press('Enter');
    for (const page of [alice, bob]) {
      await message(page, 'I will bring the pie').getByTestId('message-edited').waitFor({ timeout: 30_000 });
    }
    await screenshotBothThemes(bob, 'conversation');

    await action(alice, message(alice, 'I will bring the pie'), 'message-delete');
    await alice.getByTestId('delete-message-confirm').click();
    for (const page of [alice, bob]) {
      await page.getByTestId('message-tombstone').filter({ hasText: 'message deleted' }).waitFor({ timeout: 30_000 });
      expect(await message(page, 'I will bring the pie').count()).toBe(0);
    }
  });

  it('MSG-04: messages to a conversation not open count up on the badge and clear when it is opened', async () => {
    await alice.getByTestId('go-home').click();
    await send(bob, 'one');
    await send(bob, 'two');
    await row(alice, ids.bob).getByTestId('unread-badge').filter({ hasText: /^2$/ }).waitFor({ timeout: 30_000 });
    expect(await alice.title()).toBe('(2) DiscordOpus');
    await openConversation(alice, ids.bob);
    await message(alice, 'two').waitFor();
    await row(alice, ids.bob).getByTestId('unread-badge').waitFor({ state: 'detached' });
    await message(bob, 'two').locator('[data-testid="message-state"][data-state="read"]').waitFor({ timeout: 30_000 });
  });

  it('MSG-01: markdown shows formatted, and a link opens in a window of its own, never in the app\'s', async () => {
    const url = `${rig.server.url.replace(/^ws/, 'http')}/notes`;
    await alice.getByTestId('composer-input').fill(`**bold** and \`code\`, see [the notes](${url})`);
    await alice.getByTestId('composer-input').press('Enter');
    const shown = bob.getByTestId('message-text').filter({ hasText: 'see the notes' });
    await shown.waitFor({ timeout: 30_000 });
    expect(await shown.locator('strong').textContent()).toBe('bold');
    expect(await shown.locator('code').textContent()).toBe('code');
    const link = shown.getByTestId('message-link');
    expect(await link.getAttribute('rel')).toBe('noopener noreferrer');
    const bobWindow = rig.windows[1]!;
    const appUrl = bob.url();
    const [opened] = await Promise.all([bobWindow.context.waitForEvent('page'), link.click()]);
    await opened.waitForURL(url);
    expect(bob.url()).toBe(appUrl);
    await opened.close();
  });

  it('MSG-04: a message while the window is not focused shows a desktop notification, unless the conversation is muted', async () => {
    // The browser's notification API and focus, replaced in alice's page (headless Chromium shows no notifications).
    await alice.evaluate(() => {
      const w = globalThis as unknown as { shown: { title: string; body: string }[]; Notification: unknown; document: { hasFocus: () => boolean } };
      w.shown = [];
      w.Notification = class {
        static permission = 'granted';
        static requestPermission = async () => 'granted';
        onclick: (() => void) | null = null;
        constructor(title: string, options: { body: string }) {
          w.shown.push({ title, body: options.body });
        }
      };
      w.document.hasFocus = () => false;
    });
    const shown = () => alice.evaluate(() => (globalThis as unknown as { shown: { title: string; body: string }[] }).shown);
    await send(bob, 'ping while you are away');
    await alice.waitForFunction(() => (globalThis as unknown as { shown: unknown[] }).shown.length === 1, undefined, { timeout: 30_000 });
    expect(await shown()).toEqual([{ title: 'Bob', body: 'ping while you are away' }]);

    await alice.getByTestId('mute-toggle').click();
    await alice.locator('[data-testid="mute-toggle"][aria-pressed="true"]').waitFor();
    await send(bob, 'a quiet ping');
    await message(alice, 'a quiet ping').waitFor({ timeout: 30_000 });
    expect(await shown()).toHaveLength(1);
  });

  it('no window logged a console error or threw', () => {
    expect(rig.problems()).toEqual([]);
  });
});

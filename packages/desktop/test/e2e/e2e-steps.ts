import type { Page } from 'playwright-core';

/** Steps a person takes in a window, shared by the e2e files that need the same ones. */
export const E2E_PASSPHRASE = 'purple tiger drinks tea';

/** A contact's row in a window's sidebar, found by the ID the other side showed. */
export function row(page: Page, userId: string, extra = '') {
  return page.locator(`[data-testid="contact-row"][data-user-id="${userId}"]${extra}`);
}

/** First run: create an identity; answers the ID the window shows. */
export async function createIdentity(page: Page, displayName: string): Promise<string> {
  await page.getByTestId('first-run-screen').waitFor();
  await page.getByTestId('display-name-input').fill(displayName);
  await page.getByTestId('passphrase-input').fill(E2E_PASSPHRASE);
  await page.getByTestId('passphrase-confirm-input').fill(E2E_PASSPHRASE);
  await page.getByTestId('create-identity-submit').click();
  await page.getByTestId('main-screen').waitFor();
  return ((await page.getByTestId('welcome-own-id').textContent()) ?? '').trim();
}

export async function addContact(page: Page, userId: string): Promise<void> {
  await page.getByTestId('open-add-contact').click();
  await page.getByTestId('add-contact-id-input').fill(userId);
  await page.getByTestId('add-contact-id-ok').waitFor();
  await page.getByTestId('add-contact-submit').click();
  await page.getByTestId('add-contact-dialog').waitFor({ state: 'detached' });
}

/** Select a contact in the sidebar: its page opens (and its link is asked for, P2P-01). */
export async function select(page: Page, userId: string): Promise<void> {
  await row(page, userId).locator('button').first().click();
  await page.getByTestId('contact-details').waitFor();
}

/**
 * Alice and Bob create their identities (their IDs land in `ids`), add each other, and each sees
 * the other online. `timeoutMs` bounds the wait for the presence, the locator default otherwise.
 */
export async function befriend(alice: Page, bob: Page, ids: { alice: string; bob: string }, timeoutMs?: number): Promise<void> {
  ids.alice = await createIdentity(alice, 'Alice');
  ids.bob = await createIdentity(bob, 'Bob');
  await addContact(alice, ids.bob);
  await addContact(bob, ids.alice);
  const wait = timeoutMs === undefined ? undefined : { timeout: timeoutMs };
  await row(alice, ids.bob, '[data-status="online"]').waitFor(wait);
  await row(bob, ids.alice, '[data-status="online"]').waitFor(wait);
}

import { act, screen, waitFor, within } from '@testing-library/react';
import { encodeUserId } from '@discordopus/protocol';
import { describe, expect, it } from 'vitest';
import { App } from './app';
import { FAKE_OWN_KEY, fakeContact } from './test-support/fake-core';
import { flushBridge, renderWithCore } from './test-support/render-app';

const unlocked = {
  session: 'unlocked' as const,
  passphrase: 'correct horse battery',
  identity: { userId: encodeUserId(FAKE_OWN_KEY), displayName: 'Alice' },
};

function rowOf(publicKey: string): HTMLElement {
  const row = screen.getAllByTestId('contact-row').find((r) => r.dataset.publicKey === publicKey);
  if (row === undefined) throw new Error(`no row for ${publicKey}`);
  return row;
}

async function openRowAction(user: ReturnType<typeof renderWithCore>['user'], publicKey: string, action: string) {
  const trigger = within(rowOf(publicKey)).getByTestId('contact-actions');
  trigger.focus();
  await user.keyboard('{Enter}');
  await user.click(await screen.findByTestId(`contact-action-${action}`));
}

describe('the app, end to end against the in-memory core', () => {
  it('IDEN-01: first run creates an identity and opens the main screen', async () => {
    const { user, core } = renderWithCore(<App />);
    await screen.findByTestId('first-run-screen');
    await user.type(screen.getByTestId('display-name-input'), 'Alice');
    // The meter uses the core's estimator, loaded lazily: wait until it is there.
    await waitFor(() => expect(screen.getByTestId('passphrase-strength').dataset.ready).toBe('true'));
    await user.type(screen.getByTestId('passphrase-input'), 'short');
    expect(screen.getByTestId('passphrase-strength').textContent).toMatch(/at least 10 characters/);
    await user.clear(screen.getByTestId('passphrase-input'));
    await user.type(screen.getByTestId('passphrase-input'), 'qwertyuiop12');
    expect(Number(screen.getByTestId('passphrase-strength').dataset.score)).toBeLessThan(3);
    expect(screen.getByTestId('passphrase-strength').textContent).not.toMatch(/Good|Strong/);
    await user.clear(screen.getByTestId('passphrase-input'));
    await user.type(screen.getByTestId('passphrase-input'), 'purple tiger drinks tea');
    expect(Number(screen.getByTestId('passphrase-strength').dataset.score)).toBeGreaterThanOrEqual(3);
    await user.type(screen.getByTestId('passphrase-confirm-input'), 'purple tiger drinks te');
    await user.click(screen.getByTestId('create-identity-submit'));
    expect(screen.getAllByText('The passphrases do not match.').length).toBeGreaterThan(0);
    expect(core.calls).not.toContain('profile.create');
    await user.type(screen.getByTestId('passphrase-confirm-input'), 'a');
    await user.click(screen.getByTestId('create-identity-submit'));
    await waitFor(() => expect(screen.getByTestId('own-display-name').textContent).toBe('Alice'));
    expect(await screen.findByTestId('contacts-empty')).toBeTruthy();
    expect(screen.getByTestId('welcome-own-id').textContent).toBe(encodeUserId(FAKE_OWN_KEY));
  });

  it('PRES-02, CONT-02: a contact dot follows presence events, and offline shows last seen', async () => {
    const bob = fakeContact(2, { nickname: 'Bob' });
    const { core } = renderWithCore(<App />, { state: { ...unlocked, contacts: [bob] } });
    await screen.findByTestId('contact-row');
    expect(within(rowOf(bob.publicKey)).getByTestId('status-dot').dataset.status).toBe('unknown');
    await act(async () => core.setPresence(bob.publicKey, 'online'));
    await flushBridge();
    expect(within(rowOf(bob.publicKey)).getByTestId('status-dot').dataset.status).toBe('online');
    expect(screen.getByRole('navigation', { name: 'Contacts' }).textContent).toMatch(/Online — 1/);
    await act(async () => core.setPresence(bob.publicKey, 'offline'));
    await flushBridge();
    expect(within(rowOf(bob.publicKey)).getByTestId('contact-subtitle').textContent).toBe('Last seen just now');
  });

  it('issue 15 item 12: a contact never seen online says "not seen yet", never "Last seen just now"', async () => {
    const bob = fakeContact(2, { nickname: 'Bob' });
    const { core } = renderWithCore(<App />, { state: { ...unlocked, contacts: [bob] } });
    await screen.findByTestId('contact-row');
    // What the core sends for a contact it never saw: offline, no last-seen time.
    await act(async () => core.emit('presence.changed', { publicKey: bob.publicKey, status: 'offline', lastSeenAt: null }));
    await flushBridge();
    expect(within(rowOf(bob.publicKey)).getByTestId('contact-subtitle').textContent).toBe('Offline · not seen yet');
  });

  it('issue 15 item 15: Home is one click away once a contact is selected, and no longer reads like onboarding', async () => {
    const bob = fakeContact(2, { nickname: 'Bob' });
    const { user } = renderWithCore(<App />, { state: { ...unlocked, contacts: [bob] } });
    await screen.findByTestId('contact-row');
    expect(screen.getByTestId('welcome-text').textContent).toMatch(/^You have 1 contact\. Choose one on the left/);
    await user.click(within(rowOf(bob.publicKey)).getAllByRole('button')[0] as HTMLElement);
    expect(await screen.findByTestId('contact-details')).toBeTruthy();
    expect(screen.getByTestId('details-remove').className).not.toMatch(/(^|\s)bg-danger(\s|$)/);
    await user.click(screen.getByTestId('go-home'));
    expect(await screen.findByTestId('welcome-panel')).toBeTruthy();
    expect(screen.getByTestId('go-home').getAttribute('aria-current')).toBe('true');
  });

  it('CONT-04: renames a contact and clears the nickname again', async () => {
    const bob = fakeContact(2, { nickname: 'Bob' });
    const { user } = renderWithCore(<App />, { state: { ...unlocked, contacts: [bob] } });
    await screen.findByTestId('contact-row');
    await openRowAction(user, bob.publicKey, 'rename');
    const input = await screen.findByTestId('rename-contact-input');
    await user.clear(input);
    await user.type(input, 'Bobby{Enter}');
    await waitFor(() => expect(within(rowOf(bob.publicKey)).getByTestId('contact-name').textContent).toBe('Bobby'));
    await openRowAction(user, bob.publicKey, 'rename');
    await user.clear(await screen.findByTestId('rename-contact-input'));
    await user.click(screen.getByTestId('rename-contact-submit'));
    await waitFor(() => expect(within(rowOf(bob.publicKey)).getByTestId('contact-name').textContent).toMatch(/^dopus1/));
  });

  it('CONT-03: removing asks for confirmation first', async () => {
    const bob = fakeContact(2, { nickname: 'Bob' });
    const { user, core } = renderWithCore(<App />, { state: { ...unlocked, contacts: [bob] } });
    await screen.findByTestId('contact-row');
    await openRowAction(user, bob.publicKey, 'remove');
    const dialog = await screen.findByTestId('remove-contact-dialog');
    expect(dialog.textContent).toMatch(/Remove Bob\?/);
    await user.click(within(dialog).getByRole('button', { name: 'Cancel' }));
    expect(core.state.contacts).toHaveLength(1);
    await openRowAction(user, bob.publicKey, 'remove');
    await user.click(await screen.findByTestId('remove-contact-confirm'));
    await waitFor(() => expect(screen.queryByTestId('contact-row')).toBeNull());
    expect(core.state.contacts).toHaveLength(0);
    expect(screen.getByTestId('contacts-empty')).toBeTruthy();
  });

  it('CONT-05: shows the safety number with its QR code, marks verified and un-verifies', async () => {
    const bob = fakeContact(2, { nickname: 'Bob' });
    const { user, core } = renderWithCore(<App />, { state: { ...unlocked, contacts: [bob] } });
    await screen.findByTestId('contact-row');
    await openRowAction(user, bob.publicKey, 'verify');
    const number = await screen.findByTestId('safety-number');
    expect(within(number).getAllByRole('listitem')).toHaveLength(12);
    expect(screen.getByTestId('qr-code').dataset.value).toBe(number.dataset.digits);
    await user.click(screen.getByTestId('verify-contact'));
    await waitFor(() => expect(screen.getByTestId('verification-state').textContent).toMatch(/Verified/));
    expect(rowOf(bob.publicKey).dataset.verified).toBe('true');
    expect(within(rowOf(bob.publicKey)).getByLabelText('Verified')).toBeTruthy();
    await user.click(screen.getByTestId('unverify-contact'));
    await waitFor(() => expect(core.state.contacts[0]?.verified).toBe(false));
    expect(screen.getByTestId('verification-state').textContent).toMatch(/Not verified/);
  });

  it('UI-02: settings validate the signaling URL and save it; the identity section shows ID and QR; the theme switches', async () => {
    const { user, core } = renderWithCore(<App />, { state: { ...unlocked } });
    await user.click(await screen.findByTestId('open-settings'));
    const input = await screen.findByTestId('signaling-urls-input');
    await user.clear(input);
    await user.type(input, 'ws://signal.example.org');
    expect(screen.getByTestId('signaling-urls-message').textContent).toMatch(/Use wss:\/\//);
    expect(screen.getByTestId('signaling-urls-save')).toHaveProperty('disabled', true);
    await user.clear(input);
    await user.type(input, 'wss://signal.example.org');
    await user.click(screen.getByTestId('signaling-urls-save'));
    await waitFor(() => expect(core.state.settings.signalingUrls).toEqual(['wss://signal.example.org']));

    await user.click(screen.getByTestId('settings-tab-identity'));
    expect((await screen.findByTestId('own-user-id')).textContent).toBe(encodeUserId(FAKE_OWN_KEY));
    expect(screen.getByRole('img', { name: 'QR code of your ID' }).dataset.value).toBe(encodeUserId(FAKE_OWN_KEY));

    await user.click(screen.getByTestId('settings-tab-appearance'));
    expect(document.documentElement.classList.contains('dark')).toBe(true);
    await user.click(await screen.findByTestId('theme-light'));
    await waitFor(() => expect(document.documentElement.classList.contains('dark')).toBe(false));
    expect(core.state.settings.theme).toBe('light');
  });

  it('says so when the core goes away', async () => {
    const { bridge } = renderWithCore(<App />, { state: { ...unlocked } });
    await screen.findByTestId('main-screen');
    act(() => bridge.close());
    expect(screen.getByTestId('bridge-closed')).toBeTruthy();
  });
});

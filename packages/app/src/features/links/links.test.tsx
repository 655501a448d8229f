import { act, screen, waitFor, within } from '@testing-library/react';
import { encodeUserId } from '@discordopus/protocol';
import { describe, expect, it } from 'vitest';
import { App } from '../../app';
import { FAKE_OWN_KEY, fakeContact } from '../../test-support/fake-core';
import { flushBridge, renderWithCore } from '../../test-support/render-app';

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

async function select(user: ReturnType<typeof renderWithCore>['user'], publicKey: string) {
  await user.click(within(await waitFor(() => rowOf(publicKey))).getAllByRole('button')[0] as HTMLElement);
  await screen.findByTestId('contact-details');
}

describe('direct links in the app (P2P-01, P2P-02, P2P-03, P2P-05)', () => {
  it('P2P-01, P2P-03: selecting an online contact opens its link; the header follows Connecting…, Direct · 3 ms, Relayed · 41 ms, then nothing', async () => {
    const bob = fakeContact(2, { displayName: 'Bob', onlineStatus: 'online' });
    const { core, user } = renderWithCore(<App />, { state: { ...unlocked, contacts: [bob] } });
    await select(user, bob.publicKey);
    await waitFor(() => expect(core.calls).toContain('links.open'));
    expect((await screen.findByTestId('header-link')).textContent).toBe('Connecting…');

    await act(async () => core.setLink({ publicKey: bob.publicKey, state: 'open', reason: null, path: 'direct', rttMs: 3 }));
    await flushBridge();
    expect(screen.getByTestId('header-link').textContent).toBe('Direct · 3 ms');
    expect(screen.getByTestId('header-link').dataset.path).toBe('direct');

    await act(async () => core.setLink({ publicKey: bob.publicKey, state: 'open', reason: null, path: 'relayed', rttMs: 41 }));
    await flushBridge();
    expect(screen.getByTestId('header-link').textContent).toBe('Relayed · 41 ms');

    await act(async () => core.setLink({ publicKey: bob.publicKey, state: 'closed', reason: 'idle', path: null, rttMs: null }));
    await flushBridge();
    expect(screen.queryByTestId('header-link')).toBeNull();
    // The status is still there: only the link part went away.
    expect(screen.getByTestId('header-status').textContent).toBe('Online');
  });

  it('P2P-01: no link is asked for an offline contact; it is asked for once the contact comes online', async () => {
    const bob = fakeContact(2, { nickname: 'Bob', onlineStatus: 'offline' });
    const { core, user } = renderWithCore(<App />, { state: { ...unlocked, contacts: [bob] } });
    await select(user, bob.publicKey);
    await flushBridge();
    expect(core.calls).not.toContain('links.open');
    expect(screen.queryByTestId('header-link')).toBeNull();
    await act(async () => core.setPresence(bob.publicKey, 'online'));
    await flushBridge();
    await waitFor(() => expect(core.calls.filter((c) => c === 'links.open')).toHaveLength(1));
    expect((await screen.findByTestId('header-link')).textContent).toBe('Connecting…');
  });

  it('PRES-01, P2P-01: while invisible, selecting a contact (and it coming online) asks only with intent auto; the refusal shows nothing; the composer says sending reveals you', async () => {
    const bob = fakeContact(2, { displayName: 'Bob', onlineStatus: 'offline' });
    const { core, user } = renderWithCore(<App />, { state: { ...unlocked, status: 'invisible', contacts: [bob] } });
    await select(user, bob.publicKey);
    await flushBridge();
    expect(core.calls).not.toContain('links.open');
    expect((await screen.findByTestId('composer-invisible-hint')).textContent).toBe('You are invisible: sending a message reveals to Bob that you are online.');
    await act(async () => core.setPresence(bob.publicKey, 'online'));
    await flushBridge();
    await waitFor(() => expect(core.linkIntents).toEqual(['auto']));
    // The core refused it (INVISIBLE): no link, no error, no alert.
    expect(core.state.links).toEqual([]);
    expect(screen.queryByTestId('header-link')).toBeNull();
    expect(screen.queryByRole('alert')).toBeNull();
    // Sending is the user's act: the message goes to the core (which opens with intent user).
    await user.type(screen.getByTestId('composer-input'), 'hi{Enter}');
    await flushBridge();
    expect(core.messages.all(bob.publicKey).map((m) => m.text)).toEqual(['hi']);
    // Visible again: the hint goes, and the selected contact's link is asked for (still auto).
    await act(async () => {
      core.state.status = 'online';
      core.emit('status.changed', { status: 'online' });
    });
    await flushBridge();
    expect(screen.queryByTestId('composer-invisible-hint')).toBeNull();
    await waitFor(() => expect(core.linkIntents).toEqual(['auto', 'auto']));
    expect((await screen.findByTestId('header-link')).textContent).toBe('Connecting…');
  });

  it('P2P-03: switching relay-only asks for the selected contact\'s link again (the core closed the direct one)', async () => {
    const bob = fakeContact(2, { nickname: 'Bob', onlineStatus: 'online' });
    const { core, user } = renderWithCore(<App />, { state: { ...unlocked, contacts: [bob] } });
    await select(user, bob.publicKey);
    await waitFor(() => expect(core.calls.filter((c) => c === 'links.open')).toHaveLength(1));
    await act(async () => core.setLink({ publicKey: bob.publicKey, state: 'closed', reason: 'relay-required', path: null, rttMs: null }));
    await act(async () => void (await core.handlers['settings.set']({ relayOnly: true })));
    await flushBridge();
    await waitFor(() => expect(core.calls.filter((c) => c === 'links.open')).toHaveLength(2));
    expect((await screen.findByTestId('header-link')).textContent).toBe('Connecting…');
  });

  it('P2P-01: a link already open when the window loads is shown at once', async () => {
    const bob = fakeContact(2, { nickname: 'Bob', onlineStatus: 'online' });
    const { user } = renderWithCore(<App />, {
      state: { ...unlocked, contacts: [bob], links: [{ publicKey: bob.publicKey, state: 'open', reason: null, path: 'relayed', rttMs: 12 }] },
    });
    await select(user, bob.publicKey);
    expect((await screen.findByTestId('header-link')).textContent).toBe('Relayed · 12 ms');
  });

  it('P2P-02: a failed authentication shows a persistent warning on the contact until the user dismisses it', async () => {
    const bob = fakeContact(2, { displayName: 'Bob', onlineStatus: 'online' });
    const carol = fakeContact(3, { displayName: 'Carol', onlineStatus: 'online' });
    const { core, user } = renderWithCore(<App />, { state: { ...unlocked, contacts: [bob, carol] } });
    await select(user, bob.publicKey);
    await act(async () => core.raiseSecurityWarning(bob.publicKey, 'The DTLS fingerprint did not match the signed one.'));
    await flushBridge();

    const warning = await screen.findByTestId('security-warning');
    expect(warning.getAttribute('role')).toBe('alert');
    expect(warning.dataset.code).toBe('LINK_AUTH_FAILED');
    expect(within(warning).getByTestId('security-warning-text').textContent).toBe('Someone may be interfering with the connection to Bob. The link was refused.');
    expect(within(warning).getByTestId('security-warning-reason').textContent).toBe('The DTLS fingerprint did not match the signed one.');
    expect(screen.queryByTestId('header-link')).toBeNull();
    expect(within(rowOf(bob.publicKey)).getByTestId('security-warning-badge')).toBeTruthy();
    expect(within(rowOf(carol.publicKey)).queryByTestId('security-warning-badge')).toBeNull();

    // Persistent: it stays when the user looks at someone else and comes back.
    await select(user, carol.publicKey);
    expect(screen.queryByTestId('security-warning')).toBeNull();
    await select(user, bob.publicKey);
    expect(await screen.findByTestId('security-warning')).toBeTruthy();

    // While warned, selecting the contact asks for no new link; "I understand" asks again.
    const opensBefore = core.calls.filter((c) => c === 'links.open').length;
    await flushBridge();
    expect(core.calls.filter((c) => c === 'links.open')).toHaveLength(opensBefore);
    await user.click(screen.getByTestId('security-warning-dismiss'));
    await waitFor(() => expect(screen.queryByTestId('security-warning')).toBeNull());
    expect(within(rowOf(bob.publicKey)).queryByTestId('security-warning-badge')).toBeNull();
    expect(core.state.warnings).toEqual([]);
    await waitFor(() => expect(core.calls.filter((c) => c === 'links.open')).toHaveLength(opensBefore + 1));
  });

  it('P2P-02: a warning raised before the window opened is listed when it loads', async () => {
    const bob = fakeContact(2, { displayName: 'Bob', onlineStatus: 'online' });
    const warnings = [{ publicKey: bob.publicKey, code: 'LINK_AUTH_FAILED' as const, reason: 'Answered by someone else.', at: 1 }];
    const { user } = renderWithCore(<App />, { state: { ...unlocked, contacts: [bob], warnings } });
    await waitFor(() => expect(within(rowOf(bob.publicKey)).getByTestId('security-warning-badge')).toBeTruthy());
    await select(user, bob.publicKey);
    expect((await screen.findByTestId('security-warning-text')).textContent).toContain('connection to Bob');
  });

  it('P2P-05: the list, header and avatar use the contact\'s display name; a nickname overrides it; a new card is followed', async () => {
    const bob = fakeContact(2, { onlineStatus: 'online' });
    const { core, user } = renderWithCore(<App />, { state: { ...unlocked, contacts: [bob] } });
    await waitFor(() => expect(within(rowOf(bob.publicKey)).getByTestId('contact-name').textContent).toMatch(/^dopus1/));
    await act(async () => core.setContactDisplayName(bob.publicKey, 'Bob'));
    await flushBridge();
    expect(within(rowOf(bob.publicKey)).getByTestId('contact-name').textContent).toBe('Bob');
    await select(user, bob.publicKey);
    expect(screen.getByRole('heading', { level: 1 }).textContent).toBe('Bob');
    // The avatar's letter comes from the shown name.
    expect(within(rowOf(bob.publicKey)).getByText('B')).toBeTruthy();

    await act(async () => core.setContactDisplayName(bob.publicKey, 'Robert'));
    await flushBridge();
    expect(within(rowOf(bob.publicKey)).getByTestId('contact-name').textContent).toBe('Robert');
    expect(screen.getByRole('heading', { level: 1 }).textContent).toBe('Robert');

    await act(async () => core.handlers['contacts.rename']({ publicKey: bob.publicKey, nickname: 'Bobby' }));
    await flushBridge();
    expect(within(rowOf(bob.publicKey)).getByTestId('contact-name').textContent).toBe('Bobby');
    expect(screen.getByRole('heading', { level: 1 }).textContent).toBe('Bobby');
  });
});

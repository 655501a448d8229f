import { encodeUserId } from '@discordopus/protocol';
import { screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { App } from '../../app';
import { FAKE_OWN_KEY, fakeContact, fakeUserId } from '../../test-support/fake-core';
import { flushBridge, renderWithCore } from '../../test-support/render-app';

const unlocked = {
  session: 'unlocked' as const,
  passphrase: 'correct horse battery',
  identity: { userId: encodeUserId(FAKE_OWN_KEY), displayName: 'Alice' },
};

function rowOf(publicKey: string): HTMLElement {
  const row = screen.getAllByTestId('contact-row').find((r) => r.dataset.publicKey === publicKey);
  if (row === undefined) throw new Error('no row');
  return row;
}

describe('contact requests and blocking in the app (CONT-06)', () => {
  it('CONT-06: a contact who has not added the user back is listed under Pending, not Offline; it moves once they do', async () => {
    const bob = fakeContact(2, { nickname: 'Bob', onlineStatus: 'offline', pending: true });
    const carol = fakeContact(3, { nickname: 'Carol', onlineStatus: 'offline', pending: false });
    const { core, user } = renderWithCore(<App />, { state: { ...unlocked, contacts: [bob, carol] } });
    const pending = await screen.findByRole('region', { name: 'Pending contacts' });
    expect(within(pending).getByTestId('contact-name').textContent).toBe('Bob');
    expect(within(pending).getByTestId('contact-subtitle').textContent).toMatch(/^Pending/);
    expect(rowOf(bob.publicKey).dataset.pending).toBe('true');
    // Selected, the header says Pending too, not Offline.
    await user.click(within(rowOf(bob.publicKey)).getAllByRole('button')[0] as HTMLElement);
    expect((await screen.findByTestId('header-status')).textContent).toBe('Pending');
    const offline = screen.getByRole('region', { name: 'Offline contacts' });
    expect(within(offline).getByTestId('contact-name').textContent).toBe('Carol');

    core.addedBack(bob.publicKey);
    core.setPresence(bob.publicKey, 'online');
    await waitFor(() => expect(screen.queryByRole('region', { name: 'Pending contacts' })).toBeNull());
    expect(screen.getByTestId('header-status').textContent).toBe('Online');
    expect(within(screen.getByRole('region', { name: 'Online contacts' })).getByTestId('contact-name').textContent).toBe('Bob');
  });

  it('CONT-06: the add-contact form sends the optional note with the request; the new contact shows as pending', async () => {
    const { user, core } = renderWithCore(<App />, { state: { ...unlocked } });
    await user.click(await screen.findByTestId('open-add-contact'));
    await user.click(await screen.findByTestId('add-contact-id-input'));
    await user.paste(fakeUserId(2));
    await user.type(screen.getByTestId('add-contact-note-input'), '  Hi, Alice from the club ');
    await user.click(screen.getByTestId('add-contact-submit'));
    await waitFor(() => expect(screen.queryByTestId('add-contact-dialog')).toBeNull());
    const key = core.state.contacts[0]?.publicKey ?? '';
    expect(core.requestNotes.get(key)).toBe('Hi, Alice from the club');
    expect(within(rowOf(key)).getByTestId('contact-subtitle').textContent).toMatch(/^Pending/);
  });

  it('CONT-06: a note the request could not carry (a direction mark, a lone surrogate) is refused in the form with a sentence; nothing is added', async () => {
    const { user, core } = renderWithCore(<App />, { state: { ...unlocked } });
    await user.click(await screen.findByTestId('open-add-contact'));
    await user.click(await screen.findByTestId('add-contact-id-input'));
    await user.paste(fakeUserId(2));
    await user.click(screen.getByTestId('add-contact-note-input'));
    await user.paste('hi \u200e there \ud800');
    await user.click(screen.getByTestId('add-contact-submit'));
    expect((await screen.findByRole('alert')).textContent).toMatch(/The note cannot be sent: a note cannot contain/);
    expect(screen.getByTestId('add-contact-dialog')).toBeTruthy();
    await flushBridge();
    expect(core.state.contacts).toEqual([]);
  });

  it('CONT-06: a request whose name reads like an existing contact’s (case, spacing) warns that it is a different ID; others do not', async () => {
    const bob = fakeContact(2, { nickname: null, displayName: 'Bob Smith', onlineStatus: 'offline', pending: false });
    const { core } = renderWithCore(<App />, { state: { ...unlocked, contacts: [bob] } });
    await screen.findByTestId('contact-row');
    core.receiveRequest(5, 'bob  SMITH', 'new laptop, re-add me');
    core.receiveRequest(6, 'Dana');
    await waitFor(() => expect(screen.getAllByTestId('request-row')).toHaveLength(2));
    const [mallory, dana] = screen.getAllByTestId('request-row') as [HTMLElement, HTMLElement];
    expect(within(mallory).getByTestId('request-lookalike').textContent).toMatch(/^Not your contact Bob Smith: this is a different ID/);
    expect(within(dana).queryByTestId('request-lookalike')).toBeNull();
  });

  it('CONT-06: when the request list is full the section says how many new requests were refused', async () => {
    const { core } = renderWithCore(<App />, { state: { ...unlocked } });
    await screen.findByTestId('contacts-empty');
    core.receiveRequest(4, 'Dana');
    await screen.findByTestId('request-row');
    expect(screen.queryByTestId('requests-full')).toBeNull();
    core.state.requests = { ...core.state.requests, refusedWhileFull: 3 };
    core.emit('requests.changed', core.state.requests);
    expect((await screen.findByTestId('requests-full')).textContent).toMatch(/full: 3 requests from new people were refused/);
  });

  it('CONT-06: an incoming request shows the signed name and note; accept adds them as a contact', async () => {
    const { user, core } = renderWithCore(<App />, { state: { ...unlocked } });
    await screen.findByTestId('contacts-empty');
    core.receiveRequest(4, 'Dana', 'we met at the meetup');
    const row = await screen.findByTestId('request-row');
    expect(within(row).getByTestId('request-name').textContent).toBe('Dana');
    expect(within(row).getByTestId('request-note').textContent).toBe('we met at the meetup');
    await user.click(within(row).getByTestId('request-accept'));
    await waitFor(() => expect(screen.queryByTestId('requests-section')).toBeNull());
    const contact = core.state.contacts.find((c) => c.userId === fakeUserId(4));
    expect(contact).toMatchObject({ displayName: 'Dana', pending: false });
    expect(within(rowOf(contact?.publicKey ?? '')).getByTestId('contact-name').textContent).toBe('Dana');
  });

  it('CONT-06: ignore hides the request and adds no one', async () => {
    const { user, core } = renderWithCore(<App />, { state: { ...unlocked } });
    await screen.findByTestId('contacts-empty');
    core.receiveRequest(4, 'Dana');
    await user.click(within(await screen.findByTestId('request-row')).getByTestId('request-ignore'));
    await waitFor(() => expect(screen.queryByTestId('request-row')).toBeNull());
    expect(core.state.contacts).toEqual([]);
    expect(core.state.requests).toEqual({ incoming: [], blocked: [] });
    expect(core.calls).toContain('requests.ignore');
  });

  it('CONT-06: block from a request, and block a contact from its menu; Settings → Blocked users lists both and unblocks', async () => {
    const bob = fakeContact(2, { nickname: 'Bob', onlineStatus: 'online', pending: false });
    const { user, core } = renderWithCore(<App />, { state: { ...unlocked, contacts: [bob] } });
    core.receiveRequest(4, 'Mallory', 'click my link');
    await user.click(within(await screen.findByTestId('request-row')).getByTestId('request-block'));
    await waitFor(() => expect(screen.queryByTestId('request-row')).toBeNull());

    await user.click(within(rowOf(bob.publicKey)).getByTestId('contact-actions'));
    await user.click(await screen.findByTestId('contact-action-block'));
    await user.click(within(await screen.findByTestId('block-contact-dialog')).getByTestId('block-contact-confirm'));
    await waitFor(() => expect(screen.queryByTestId('contact-row')).toBeNull());
    expect(core.state.contacts).toEqual([]);

    await user.click(screen.getByTestId('open-settings'));
    await user.click(await screen.findByTestId('settings-tab-blocked'));
    const blocked = await screen.findAllByTestId('blocked-user');
    expect(blocked.map((b) => b.textContent)).toEqual([expect.stringContaining('Mallory'), expect.stringContaining('Bob')]);
    await user.click(within(blocked[1] as HTMLElement).getByTestId('unblock-user'));
    await waitFor(() => expect(screen.getAllByTestId('blocked-user')).toHaveLength(1));
    expect(core.state.requests.blocked.map((b) => b.label)).toEqual(['Mallory']);
    await flushBridge();
  });
});

import { screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { renderWithCore } from '../../test-support/render-app';
import { FAKE_OWN_KEY, fakeContact, fakeUserId } from '../../test-support/fake-core';
import { encodeUserId } from '@discordopus/protocol';
import { App } from '../../app';

const unlocked = {
  session: 'unlocked' as const,
  passphrase: 'correct horse battery',
  identity: { userId: encodeUserId(FAKE_OWN_KEY), displayName: 'Alice' },
};

async function openAddDialog() {
  const harness = renderWithCore(<App />, { state: { ...unlocked } });
  await harness.user.click(await screen.findByTestId('open-add-contact'));
  const dialog = await screen.findByTestId('add-contact-dialog');
  return { ...harness, dialog, input: within(dialog).getByTestId('add-contact-id-input') };
}

/** The message under the ID field (error or hint). */
function fieldMessage(input: HTMLElement): string {
  const id = input.getAttribute('aria-describedby');
  return id === null ? '' : (document.getElementById(id)?.textContent ?? '');
}

describe('add contact by ID (CONT-01, IDEN-02)', () => {
  it('IDEN-02: shows the checksum error inline while typing a mistyped ID', async () => {
    const { user, input } = await openAddDialog();
    const id = fakeUserId(2);
    const mistyped = `${id.slice(0, 30)}${id[30] === 'q' ? 'p' : 'q'}${id.slice(31)}`;
    await user.type(input, mistyped);
    expect(input.getAttribute('aria-invalid')).toBe('true');
    expect(fieldMessage(input)).toMatch(/checksum/i);
    expect(screen.getByTestId('add-contact-submit')).toHaveProperty('disabled', true);
  });

  it('IDEN-02: a correct beginning is not an error; it counts the characters', async () => {
    const { user, input } = await openAddDialog();
    await user.type(input, 'dop');
    expect(input.getAttribute('aria-invalid')).toBeNull();
    await user.type(input, `${fakeUserId(2).slice(3, 20)}`);
    expect(input.getAttribute('aria-invalid')).toBeNull();
    expect(fieldMessage(input)).toMatch(/20 of 64 characters/);
  });

  it('IDEN-02: names a wrong prefix and a character that IDs never use', async () => {
    const { user, input } = await openAddDialog();
    await user.type(input, 'bc1qqqqqqq');
    expect(fieldMessage(input)).toMatch(/starts with "dopus1"/);
    await user.clear(input);
    await user.type(input, 'dopus1qqqbqq');
    expect(fieldMessage(input)).toMatch(/never used/);
  });

  it('CONT-01: a valid ID is accepted and the contact appears in the list, selected', async () => {
    const { user, input, core } = await openAddDialog();
    await user.click(input);
    await user.paste(fakeUserId(2));
    expect(screen.getByTestId('add-contact-id-ok')).toBeTruthy();
    await user.type(screen.getByTestId('add-contact-nickname-input'), 'Bob');
    await user.click(screen.getByTestId('add-contact-submit'));
    await waitFor(() => expect(screen.queryByTestId('add-contact-dialog')).toBeNull());
    const row = await screen.findByTestId('contact-row');
    expect(within(row).getByTestId('contact-name').textContent).toBe('Bob');
    expect(row.dataset.userId).toBe(fakeUserId(2));
    expect(core.state.contacts).toHaveLength(1);
    expect(screen.getByTestId('contact-details').dataset.publicKey).toBe(core.state.contacts[0]?.publicKey);
  });

  it('refuses the user own ID before asking the core', async () => {
    const { user, input, core } = await openAddDialog();
    await user.click(input);
    await user.paste(encodeUserId(FAKE_OWN_KEY));
    expect(fieldMessage(input)).toMatch(/your own ID/);
    expect(core.calls).not.toContain('contacts.add');
  });

  it('shows the core refusal (a contact already in the list) and keeps the dialog open', async () => {
    const harness = renderWithCore(<App />, { state: { ...unlocked, contacts: [fakeContact(2)] } });
    await harness.user.click(await screen.findByTestId('open-add-contact'));
    await harness.user.click(await screen.findByTestId('add-contact-id-input'));
    await harness.user.paste(fakeUserId(2));
    await harness.user.click(screen.getByTestId('add-contact-submit'));
    expect((await screen.findByTestId('add-contact-failure')).textContent).toMatch(/already in your list/);
    expect(screen.getByTestId('add-contact-dialog')).toBeTruthy();
  });
});

import { screen, waitFor, within } from '@testing-library/react';
import { encodeUserId } from '@discordopus/protocol';
import { describe, expect, it } from 'vitest';
import { App } from '../../app';
import { FAKE_OWN_KEY, fakeContact } from '../../test-support/fake-core';
import { renderWithCore } from '../../test-support/render-app';

const bob = fakeContact(2, { nickname: 'Bob' });
const state = {
  session: 'unlocked' as const,
  passphrase: 'correct horse battery',
  identity: { userId: encodeUserId(FAKE_OWN_KEY), displayName: 'Alice' },
  contacts: [bob],
};

async function openFromRowMenu(user: ReturnType<typeof renderWithCore>['user'], action: string): Promise<HTMLElement> {
  const trigger = within(await screen.findByTestId('contact-row')).getByTestId('contact-actions');
  trigger.focus();
  await user.keyboard('{Enter}');
  await user.click(await screen.findByTestId(`contact-action-${action}`));
  return trigger;
}

describe('keyboard users keep their place around contact dialogs (UI-01)', () => {
  it('CONT-04: after a dialog opened from the row menu closes, focus is back on that menu button', async () => {
    const { user } = renderWithCore(<App />, { state });
    const trigger = await openFromRowMenu(user, 'rename');
    await screen.findByTestId('rename-contact-input');
    await user.keyboard('{Escape}');
    await waitFor(() => expect(document.activeElement).toBe(trigger));
  });

  it('CONT-03: after removing a contact, focus goes to "add a contact"', async () => {
    const { user } = renderWithCore(<App />, { state });
    await openFromRowMenu(user, 'remove');
    await user.click(await screen.findByTestId('remove-contact-confirm'));
    await waitFor(() => expect(screen.queryByTestId('contact-row')).toBeNull());
    await waitFor(() => expect(document.activeElement).toBe(screen.getByTestId('open-add-contact')));
  });

  it('a dialog opened from a button returns focus to that button', async () => {
    const { user } = renderWithCore(<App />, { state });
    const add = await screen.findByTestId('open-add-contact');
    await user.click(add);
    await screen.findByTestId('add-contact-dialog');
    await user.keyboard('{Escape}');
    await waitFor(() => expect(document.activeElement).toBe(add));
  });
});

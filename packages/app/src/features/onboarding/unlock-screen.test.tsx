import { screen, waitFor } from '@testing-library/react';
import { encodeUserId } from '@discordopus/protocol';
import { describe, expect, it } from 'vitest';
import { App } from '../../app';
import { FAKE_OWN_KEY } from '../../test-support/fake-core';
import { renderWithCore } from '../../test-support/render-app';

const locked = {
  session: 'locked' as const,
  profileName: 'alice',
  passphrase: 'correct horse battery',
  identity: { userId: encodeUserId(FAKE_OWN_KEY), displayName: 'Alice' },
};

describe('unlock screen (VAULT-02)', () => {
  it('VAULT-02: a wrong passphrase gives a clear message, empties the field and keeps focus there', async () => {
    const { user } = renderWithCore(<App />, { state: locked });
    expect((await screen.findByTestId('unlock-screen')).textContent).toMatch(/profile “alice”/);
    const input = screen.getByTestId('unlock-passphrase-input') as HTMLInputElement;
    await user.type(input, 'wrong passphrase');
    await user.click(screen.getByTestId('unlock-submit'));
    expect((await screen.findByRole('alert')).textContent).toBe('Wrong passphrase. Check it and try again.');
    expect(input.value).toBe('');
    expect(input.getAttribute('aria-invalid')).toBe('true');
    expect(document.activeElement).toBe(input);
    expect(screen.getByTestId('unlock-screen')).toBeTruthy();
  });

  it('the right passphrase opens the main screen with the identity loaded', async () => {
    const { user } = renderWithCore(<App />, { state: locked });
    await user.type(await screen.findByTestId('unlock-passphrase-input'), 'correct horse battery{Enter}');
    await waitFor(() => expect(screen.getByTestId('own-display-name').textContent).toBe('Alice'));
    expect(screen.queryByTestId('unlock-screen')).toBeNull();
  });

  it('asks for the passphrase instead of calling the core with an empty one', async () => {
    const { user, core } = renderWithCore(<App />, { state: locked });
    await user.click(await screen.findByTestId('unlock-submit'));
    expect((await screen.findByRole('alert')).textContent).toBe('Enter your passphrase.');
    expect(core.calls).not.toContain('profile.unlock');
  });
});

import { screen, waitFor } from '@testing-library/react';
import { encodeUserId } from '@discordopus/protocol';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { App } from '../../app';
import { FAKE_OWN_KEY } from '../../test-support/fake-core';
import { renderWithCore } from '../../test-support/render-app';

const unlocked = {
  session: 'unlocked' as const,
  passphrase: 'correct horse battery',
  identity: { userId: encodeUserId(FAKE_OWN_KEY), displayName: 'Alice' },
};

async function openIdentitySettings() {
  const harness = renderWithCore(<App />, { state: { ...unlocked } });
  await harness.user.click(await screen.findByTestId('open-settings'));
  await harness.user.click(await screen.findByTestId('settings-tab-identity'));
  await screen.findByTestId('own-user-id');
  return harness;
}

describe('identity settings (UI-02, IDEN-03, VAULT-02)', () => {
  afterEach(() => vi.restoreAllMocks());

  it('IDEN-03: exports a backup after checking the passphrase, and offers it as a download', async () => {
    const created: Blob[] = [];
    URL.createObjectURL = vi.fn((blob: Blob) => {
      created.push(blob);
      return 'blob:backup';
    });
    URL.revokeObjectURL = vi.fn();
    const click = vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(() => {});
    const { user } = await openIdentitySettings();
    await user.type(screen.getByTestId('export-backup-passphrase'), 'wrong{Enter}');
    expect((await screen.findByText('Wrong passphrase.')).textContent).toBe('Wrong passphrase.');
    expect(click).not.toHaveBeenCalled();
    await user.clear(screen.getByTestId('export-backup-passphrase'));
    await user.type(screen.getByTestId('export-backup-passphrase'), 'correct horse battery{Enter}');
    await waitFor(() => expect(click).toHaveBeenCalledOnce());
    expect(JSON.parse((await created[0]?.text()) ?? '')).toMatchObject({ format: 'fake-dopus-backup', displayName: 'Alice' });
    expect(screen.getByText(/Saved as default\.dopus-backup/)).toBeTruthy();
  });

  it('P2P-05: edits the own display name with the core\'s rule; the new name shows at once', async () => {
    const { user, core } = await openIdentitySettings();
    const input = screen.getByTestId('own-display-name-input') as HTMLInputElement;
    expect(input.value).toBe('Alice');
    const save = screen.getByTestId('own-display-name-save') as HTMLButtonElement;
    expect(save.disabled).toBe(true);
    await user.clear(input);
    expect((await screen.findByText('A display name cannot be empty.')).textContent).toBeTruthy();
    expect(save.disabled).toBe(true);
    await user.type(input, '\u200b');
    expect(screen.getByText('A display name needs at least one visible character.')).toBeTruthy();
    await user.clear(input);
    await user.type(input, 'x'.repeat(65));
    expect(screen.getByText('A display name is at most 64 characters.')).toBeTruthy();
    expect(core.calls).not.toContain('profile.setDisplayName');

    await user.clear(input);
    await user.type(input, '  Alicia 🌻 {Enter}');
    await waitFor(() => expect(core.state.identity?.displayName).toBe('Alicia 🌻'));
    expect(core.calls.filter((c) => c === 'profile.setDisplayName')).toHaveLength(1);
    expect((await screen.findByText(/Saved\. Contacts online now see “Alicia 🌻”/)).textContent).toBeTruthy();
    expect(screen.getByTestId('own-display-name').textContent).toBe('Alicia 🌻');
    expect(input.value).toBe('Alicia 🌻');
  });

  it('VAULT-02: changes the passphrase only with the current one', async () => {
    const { user, core } = await openIdentitySettings();
    await user.type(screen.getByTestId('current-passphrase-input'), 'not it');
    const [next, confirm] = [screen.getAllByTestId('passphrase-input').at(-1), screen.getAllByTestId('passphrase-confirm-input').at(-1)] as HTMLElement[];
    await user.type(next as HTMLElement, 'an even better passphrase');
    await user.type(confirm as HTMLElement, 'an even better passphrase');
    await user.click(screen.getByTestId('change-passphrase-submit'));
    expect((await screen.findByTestId('change-passphrase-result')).textContent).toBe('Wrong passphrase.');
    expect(core.state.passphrase).toBe('correct horse battery');
    await user.clear(screen.getByTestId('current-passphrase-input'));
    await user.type(screen.getByTestId('current-passphrase-input'), 'correct horse battery');
    await user.click(screen.getByTestId('change-passphrase-submit'));
    await waitFor(() => expect(screen.getByTestId('change-passphrase-result').textContent).toBe('Passphrase changed.'));
    expect(core.state.passphrase).toBe('an even better passphrase');
  });
});

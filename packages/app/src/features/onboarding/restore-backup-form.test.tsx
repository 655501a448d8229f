import { screen, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { App } from '../../app';
import { fakeBackupBytes } from '../../test-support/fake-core';
import { renderWithCore } from '../../test-support/render-app';

describe('restore from a backup file (IDEN-03)', () => {
  it('IDEN-03: sends the file as base64 with both passphrases and opens the restored identity', async () => {
    const { user, core } = renderWithCore(<App />);
    await user.click(await screen.findByTestId('tab-restore'));
    const file = new File([fakeBackupBytes({ displayName: 'Restored', passphrase: 'backup passphrase' })], 'alice.dopus-backup');
    await user.upload(screen.getByTestId('backup-file-input'), file);
    expect(await screen.findByText('alice.dopus-backup')).toBeTruthy();
    await user.type(screen.getByTestId('backup-passphrase-input'), 'backup passphrase');
    await user.type(screen.getByTestId('passphrase-input'), 'new machine passphrase');
    await user.type(screen.getByTestId('passphrase-confirm-input'), 'new machine passphrase');
    await user.click(screen.getByTestId('restore-submit'));
    await waitFor(() => expect(screen.getByTestId('own-display-name').textContent).toBe('Restored'));
    expect(core.state.passphrase).toBe('new machine passphrase');
  });

  it('IDEN-03: a wrong backup passphrase is reported and nothing is opened', async () => {
    const { user } = renderWithCore(<App />);
    await user.click(await screen.findByTestId('tab-restore'));
    await user.upload(screen.getByTestId('backup-file-input'), new File([fakeBackupBytes({ displayName: 'X', passphrase: 'backup passphrase' })], 'x.dopus-backup'));
    await screen.findByText('x.dopus-backup');
    await user.type(screen.getByTestId('backup-passphrase-input'), 'not the one');
    await user.type(screen.getByTestId('passphrase-input'), 'new machine passphrase');
    await user.type(screen.getByTestId('passphrase-confirm-input'), 'new machine passphrase');
    await user.click(screen.getByTestId('restore-submit'));
    expect((await screen.findByRole('alert')).textContent).toMatch(/backup passphrase is wrong/);
    expect(screen.getByTestId('first-run-screen')).toBeTruthy();
  });

  it('asks for the file before calling the core', async () => {
    const { user, core } = renderWithCore(<App />);
    await user.click(await screen.findByTestId('tab-restore'));
    await user.click(screen.getByTestId('restore-submit'));
    expect(screen.getByText('Choose the backup file you exported.')).toBeTruthy();
    expect(core.calls).not.toContain('profile.restore');
  });
});

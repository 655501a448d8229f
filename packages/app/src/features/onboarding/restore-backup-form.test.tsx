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
    // The name is shown once (the browser's own file button, which repeats it, is hidden).
    expect(screen.getAllByText('alice.dopus-backup')).toHaveLength(1);
    expect(screen.getByTestId('backup-file-button').textContent).toBe('Choose another…');
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

  it('IDEN-03: says that contacts and settings come back, and that restoring on a second computer takes the identity over (issue 15 item 2)', async () => {
    const { user } = renderWithCore(<App />);
    await user.click(await screen.findByTestId('tab-restore'));
    expect(screen.getByTestId('restore-explainer').textContent).toMatch(/your contacts with their nicknames and verifications, and your settings/);
    expect(screen.getByTestId('restore-takeover-note').textContent).toMatch(
      /Restoring on a second computer takes your identity over from the\s+first: an ID is signed in on one computer at a time/,
    );
    expect(screen.getByTestId('backup-file-name').textContent).toBe('No file chosen');
  });

  it('asks for the file before calling the core', async () => {
    const { user, core } = renderWithCore(<App />);
    await user.click(await screen.findByTestId('tab-restore'));
    await user.click(screen.getByTestId('restore-submit'));
    expect(screen.getByText('Choose the backup file you exported.')).toBeTruthy();
    expect(core.calls).not.toContain('profile.restore');
  });
});

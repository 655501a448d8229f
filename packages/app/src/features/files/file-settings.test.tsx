import { screen, waitFor, within } from '@testing-library/react';
import { encodeUserId } from '@discordopus/protocol';
import { describe, expect, it } from 'vitest';
import { App } from '../../app';
import { FAKE_OWN_KEY } from '../../test-support/fake-core';
import { renderWithCore } from '../../test-support/render-app';
import { AUTO_ACCEPT_START_BYTES } from './file-settings';

const unlocked = {
  session: 'unlocked' as const,
  passphrase: 'correct horse battery',
  identity: { userId: encodeUserId(FAKE_OWN_KEY), displayName: 'Alice' },
};

async function openFilesTab() {
  const h = renderWithCore(<App />, { state: { ...unlocked } });
  await h.user.click(await screen.findByTestId('open-settings'));
  await h.user.click(await screen.findByTestId('settings-tab-files'));
  await screen.findByTestId('file-settings');
  return h;
}

describe('Settings → Files (FILE-01, FILE-03)', () => {
  it('FILE-03: the downloads folder shows the one in force; a relative path is refused here, an unwritable one by the core, a good one is saved; "Use the default" goes back', async () => {
    const h = await openFilesTab();
    const field = screen.getByTestId('downloads-dir-input') as HTMLInputElement;
    await waitFor(() => expect(field.value).toBe('/home/user/Downloads/DiscordOpus'));

    await h.user.clear(field);
    await h.user.type(field, 'Downloads/mine');
    await h.user.click(screen.getByTestId('downloads-dir-save'));
    expect(screen.getByRole('alert').textContent).toBe('the downloads folder is a full path (starting with / or a drive letter)');
    expect(h.core.state.settings.downloadsDir).toBe('/home/user/Downloads/DiscordOpus');

    await h.user.clear(field);
    await h.user.type(field, '/proc/nope');
    await h.user.click(screen.getByTestId('downloads-dir-save'));
    await waitFor(() => expect(screen.getByRole('alert').textContent).toBe('That folder cannot be created or written to; choose another downloads folder.'));

    await h.user.clear(field);
    await h.user.type(field, '/home/user/Received');
    await h.user.click(screen.getByTestId('downloads-dir-save'));
    await waitFor(() => expect(h.core.state.settings.downloadsDir).toBe('/home/user/Received'));
    expect(screen.queryByRole('alert')).toBeNull();

    await h.user.click(screen.getByTestId('downloads-dir-default'));
    await waitFor(() => expect(h.core.state.settings.downloadsDir).toBe('/home/user/Downloads/DiscordOpus'));
    await waitFor(() => expect((screen.getByTestId('downloads-dir-input') as HTMLInputElement).value).toBe('/home/user/Downloads/DiscordOpus'));
  });

  it('FILE-03: the largest file to receive is typed in MB or GB; nonsense is refused with a sentence', async () => {
    const h = await openFilesTab();
    const form = screen.getByTestId('max-receive');
    expect((within(form).getByTestId('max-receive-amount') as HTMLInputElement).value).toBe('4');
    expect((within(form).getByTestId('max-receive-unit') as HTMLSelectElement).value).toBe('GB');

    const amount = within(form).getByTestId('max-receive-amount');
    await h.user.clear(amount);
    await h.user.type(amount, 'lots');
    await h.user.click(within(form).getByTestId('max-receive-save'));
    expect(within(form).getByTestId('max-receive-problem').textContent).toBe('Type a number.');

    await h.user.clear(amount);
    await h.user.type(amount, '500');
    await h.user.selectOptions(within(form).getByTestId('max-receive-unit'), 'MB');
    await h.user.click(within(form).getByTestId('max-receive-save'));
    await waitFor(() => expect(h.core.state.settings.maxReceiveBytes).toBe(500 * 1024 ** 2));
    expect(within(form).queryByTestId('max-receive-problem')).toBeNull();
  });

  it('FILE-01: auto-accept from verified contacts is off by default; on, it starts at 25 MB and its size can change; off again is 0', async () => {
    const h = await openFilesTab();
    const toggle = screen.getByTestId('auto-accept-switch');
    expect(toggle.getAttribute('aria-checked')).toBe('false');
    expect(screen.getByTestId('auto-accept-explanation').textContent).toBe('Off: every file asks you first.');
    expect(screen.queryByTestId('auto-accept-size')).toBeNull();

    await h.user.click(toggle);
    await waitFor(() => expect(h.core.state.settings.autoAcceptVerifiedMaxBytes).toBe(AUTO_ACCEPT_START_BYTES));
    expect(screen.getByTestId('auto-accept-explanation').textContent).toBe('On: files up to 25 MB from contacts you verified are saved at once. Others still ask.');
    const amount = await screen.findByTestId('auto-accept-size-amount');
    await h.user.clear(amount);
    await h.user.type(amount, '100');
    await h.user.click(screen.getByTestId('auto-accept-size-save'));
    await waitFor(() => expect(h.core.state.settings.autoAcceptVerifiedMaxBytes).toBe(100 * 1024 ** 2));

    await h.user.click(screen.getByTestId('auto-accept-switch'));
    await waitFor(() => expect(h.core.state.settings.autoAcceptVerifiedMaxBytes).toBe(0));
    expect(screen.getByTestId('auto-accept-switch').getAttribute('aria-checked')).toBe('false');
  });
});

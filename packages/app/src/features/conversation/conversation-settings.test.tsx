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
const bob = fakeContact(2, { displayName: 'Bob', onlineStatus: 'online' });

describe('conversation settings (MSG-01, MSG-04)', () => {
  it('MSG-04: the header mutes a conversation; its unread badge turns grey and the choice reaches the core', async () => {
    const h = renderWithCore(<App />, { state: { ...unlocked, contacts: [bob] } });
    const row = await waitFor(() => screen.getAllByTestId('contact-row')[0]!);
    await h.user.click(within(row).getAllByRole('button')[0]!);
    const toggle = await screen.findByTestId('mute-toggle');
    expect(toggle.getAttribute('aria-pressed')).toBe('false');
    await h.user.click(toggle);
    await flushBridge();
    expect(screen.getByTestId('mute-toggle').getAttribute('aria-pressed')).toBe('true');
    expect((await h.core.handlers['conversations.list']({})).conversations).toEqual([expect.objectContaining({ publicKey: bob.publicKey, muted: true })]);
    await h.user.click(screen.getByTestId('go-home'));
    await act(async () => void h.core.messages.receive(bob.publicKey, 'psst'));
    await flushBridge();
    expect(within(screen.getAllByTestId('contact-row')[0]!).getByTestId('unread-badge').className).toContain('bg-offline');
  });

  it('MSG-01: Settings → Privacy switches read receipts off; the core is told and the setting sticks', async () => {
    const h = renderWithCore(<App />, { state: { ...unlocked, contacts: [bob] } });
    await h.user.click(await screen.findByTestId('open-settings'));
    await h.user.click(await screen.findByTestId('settings-tab-privacy'));
    const toggle = await screen.findByTestId('read-receipts-switch');
    expect(toggle.getAttribute('aria-checked')).toBe('true');
    await h.user.click(toggle);
    await flushBridge();
    expect(screen.getByTestId('read-receipts-switch').getAttribute('aria-checked')).toBe('false');
    expect(h.core.state.settings.sendReadReceipts).toBe(false);
  });
});

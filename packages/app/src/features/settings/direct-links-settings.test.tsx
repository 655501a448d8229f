import { screen, waitFor } from '@testing-library/react';
import { encodeUserId } from '@discordopus/protocol';
import { describe, expect, it } from 'vitest';
import { App } from '../../app';
import { FAKE_OWN_KEY } from '../../test-support/fake-core';
import { renderWithCore } from '../../test-support/render-app';

const unlocked = {
  session: 'unlocked' as const,
  passphrase: 'correct horse battery',
  identity: { userId: encodeUserId(FAKE_OWN_KEY), displayName: 'Alice' },
};

describe('relay-only setting (P2P-03)', () => {
  it('P2P-03: the switch in Settings → Network turns relay-only on and off in the core, and says what it means', async () => {
    const { user, core } = renderWithCore(<App />, { state: { ...unlocked } });
    await user.click(await screen.findByTestId('open-settings'));
    const toggle = await screen.findByTestId('relay-only-switch');
    expect(toggle.getAttribute('aria-checked')).toBe('false');
    expect(screen.getByTestId('relay-only-explanation').textContent).toMatch(/^Off: .*can then see your IP address/);

    await user.click(toggle);
    await waitFor(() => expect(screen.getByTestId('relay-only-switch').getAttribute('aria-checked')).toBe('true'));
    expect(core.state.settings.relayOnly).toBe(true);
    expect(screen.getByTestId('relay-only-explanation').textContent).toMatch(/^On: your contacts never learn your IP address/);

    await user.click(screen.getByTestId('relay-only-switch'));
    await waitFor(() => expect(screen.getByTestId('relay-only-switch').getAttribute('aria-checked')).toBe('false'));
    expect(core.state.settings.relayOnly ?? false).toBe(false);
  });
});

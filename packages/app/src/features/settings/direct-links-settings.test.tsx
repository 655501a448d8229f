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

describe('direct links settings (P2P-01, P2P-03)', () => {
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

  it('P2P-01: the idle close time is chosen from a list, 5 minutes by default, and reaches the core', async () => {
    const { user, core } = renderWithCore(<App />, { state: { ...unlocked } });
    await user.click(await screen.findByTestId('open-settings'));
    const select = (await screen.findByTestId('link-idle-select')) as HTMLSelectElement;
    expect(select.value).toBe(String(5 * 60_000));
    expect([...select.options].map((o) => o.textContent)).toEqual(['1 minute', '5 minutes', '15 minutes', '1 hour', '24 hours']);
    await user.selectOptions(select, String(60 * 60_000));
    await waitFor(() => expect(core.state.settings.linkIdleCloseMs).toBe(60 * 60_000));
    expect((screen.getByTestId('link-idle-select') as HTMLSelectElement).value).toBe(String(60 * 60_000));
  });

  it('P2P-01: a time set elsewhere (e.g. the CLI) is shown as it is', async () => {
    const { user } = renderWithCore(<App />, { state: { ...unlocked, settings: { signalingUrls: ['wss://a.example'], theme: 'dark', linkIdleCloseMs: 90_000 } } });
    await user.click(await screen.findByTestId('open-settings'));
    const select = (await screen.findByTestId('link-idle-select')) as HTMLSelectElement;
    expect(select.value).toBe('90000');
    expect(select.selectedOptions[0]?.textContent).toBe('90 seconds');
  });
});

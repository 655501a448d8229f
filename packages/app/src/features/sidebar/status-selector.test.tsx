import { act, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { fakeUserId } from '../../test-support/fake-core';
import { flushBridge, renderWithCore } from '../../test-support/render-app';
import { StatusSelector } from './status-selector';

async function renderSelector() {
  const harness = renderWithCore(<StatusSelector />, {
    state: { session: 'unlocked', identity: { userId: fakeUserId(1), displayName: 'Alice' }, status: 'online' },
  });
  const trigger = await screen.findByTestId('status-selector');
  await flushBridge();
  return { ...harness, trigger };
}

async function openMenu(trigger: HTMLElement, user: ReturnType<typeof renderWithCore>['user']) {
  trigger.focus();
  await user.keyboard('{Enter}');
  return screen.findByRole('menu');
}

describe('status selector (PRES-01, UI-01)', () => {
  it('PRES-01: offers online, away, busy and invisible, each with a one-line explanation', async () => {
    const { trigger, user } = await renderSelector();
    expect(trigger.dataset.status).toBe('online');
    const menu = await openMenu(trigger, user);
    const options = within(menu).getAllByRole('menuitemradio');
    expect(options.map((o) => o.dataset.testid)).toEqual(['status-option-online', 'status-option-away', 'status-option-busy', 'status-option-invisible']);
    expect(within(menu).getByTestId('status-option-invisible').textContent).toMatch(/appear offline to everyone/);
    expect(within(menu).getByTestId('status-option-online').getAttribute('aria-checked')).toBe('true');
  });

  it('PRES-01: choosing a status sends it to the core and shows it', async () => {
    const { trigger, user, core } = await renderSelector();
    const menu = await openMenu(trigger, user);
    await user.click(within(menu).getByTestId('status-option-away'));
    await flushBridge();
    expect(core.state.status).toBe('away');
    expect(screen.getByTestId('status-selector').dataset.status).toBe('away');
    expect(screen.getByTestId('status-selector').getAttribute('aria-label')).toMatch(/Away/);
  });

  it('PRES-01: follows a status changed elsewhere (status.changed event)', async () => {
    const { core } = await renderSelector();
    await act(async () => core.emit('status.changed', { status: 'invisible' }));
    expect(screen.getByTestId('status-selector').dataset.status).toBe('invisible');
  });

  it('issue 15 item 5: while not connected the own dot is an offline ring that says so; the choice comes back once connected', async () => {
    const { core } = await renderSelector();
    const dot = () => screen.getByTestId('status-selector').querySelector('[data-testid="status-dot"]') as HTMLElement;
    expect(dot().dataset.status).toBe('online');
    for (const [state, label] of [
      ['authenticating', 'Connecting…'],
      ['backing-off', 'Not connected'],
      ['failed', 'Not connected'],
    ] as const) {
      await act(async () => core.setConnection({ state, reason: null, nextRetryAt: null, serverUrl: null }));
      expect(dot().dataset.status).toBe('offline');
      expect(dot().dataset.shape).toBe('ring');
      expect(screen.getByTestId('own-status-label').textContent).toBe(label);
      expect(screen.getByTestId('status-selector').dataset.connected).toBe('false');
      expect(screen.getByTestId('status-selector').getAttribute('aria-label')).toMatch(/Online once connected/);
    }
    await act(async () => core.setConnection({ state: 'connected', reason: null, nextRetryAt: null, serverUrl: 'ws://127.0.0.1:7717' }));
    expect(dot().dataset.status).toBe('online');
    expect(screen.getByTestId('own-status-label').textContent).toBe('Online');
  });
});

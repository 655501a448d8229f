import { act, fireEvent, screen } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeUserId } from '../../test-support/fake-core';
import { flushBridge, renderWithCore } from '../../test-support/render-app';
import { ConnectionIndicator } from './connection-indicator';

const NOW = Date.UTC(2026, 0, 1, 12, 0, 0);

async function renderIndicator() {
  const harness = renderWithCore(<ConnectionIndicator />, {
    state: {
      session: 'unlocked',
      identity: { userId: fakeUserId(1), displayName: 'Alice' },
      connection: { state: 'connected', reason: null, nextRetryAt: null, serverUrl: 'ws://127.0.0.1:7717' },
    },
  });
  await flushBridge();
  return harness;
}

describe('connection indicator (UI-01, INFR-05)', () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] });
    vi.setSystemTime(NOW);
  });
  afterEach(() => vi.useRealTimers());

  it('UI-01: shows connected with the server host', async () => {
    await renderIndicator();
    expect(screen.getByTestId('connection-indicator').dataset.state).toBe('connected');
    expect(screen.getByTestId('connection-title').textContent).toBe('Connected');
    expect(screen.getByTestId('connection-detail').textContent).toBe('127.0.0.1:7717');
    expect(screen.queryByTestId('connection-retry')).toBeNull();
  });

  it('INFR-05: counts down the seconds until the next try while backing off', async () => {
    const { core } = await renderIndicator();
    await act(async () => core.setConnection({ state: 'backing-off', reason: 'The server closed the connection.', nextRetryAt: NOW + 5_000, serverUrl: null }));
    expect(screen.getByTestId('connection-title').textContent).toBe('Reconnecting in 5 s');
    expect(screen.getByTestId('connection-detail').textContent).toBe('The server closed the connection.');
    await act(async () => vi.advanceTimersByTime(2_000));
    expect(screen.getByTestId('connection-title').textContent).toBe('Reconnecting in 3 s');
    await act(async () => vi.advanceTimersByTime(5_000));
    expect(screen.getByTestId('connection-title').textContent).toBe('Reconnecting…');
  });

  it('INFR-05: "Retry now" asks the core to try at once', async () => {
    const { core } = await renderIndicator();
    await act(async () => core.setConnection({ state: 'backing-off', reason: null, nextRetryAt: NOW + 30_000, serverUrl: null }));
    fireEvent.click(screen.getByTestId('connection-retry'));
    await flushBridge();
    expect(core.calls).toContain('connection.retryNow');
    expect(screen.getByTestId('connection-indicator').dataset.state).toBe('connecting');
  });

  it('shows a failed connection with its reason and a retry button', async () => {
    const { core } = await renderIndicator();
    await act(async () => core.setConnection({ state: 'failed', reason: 'The server refused our login.', nextRetryAt: null, serverUrl: null }));
    expect(screen.getByTestId('connection-title').textContent).toBe('Connection failed');
    expect(screen.getByTestId('connection-detail').textContent).toBe('The server refused our login.');
    expect(screen.getByTestId('connection-retry')).toBeTruthy();
  });

  it('issue 15 item 9: shows the whole reason, wrapped, never cut off', async () => {
    const { core } = await renderIndicator();
    const reason = 'Could not connect to the server: the server’s name could not be found; check the address and this computer’s internet connection.';
    await act(async () => core.setConnection({ state: 'backing-off', reason, nextRetryAt: NOW + 5_000, serverUrl: null }));
    const detail = screen.getByTestId('connection-detail');
    expect(detail.textContent).toBe(reason);
    expect(detail.className).not.toMatch(/\btruncate\b|line-clamp|overflow-hidden/);
  });
});

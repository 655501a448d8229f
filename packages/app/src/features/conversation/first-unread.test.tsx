import { act, screen, waitFor, within } from '@testing-library/react';
import { encodeUserId } from '@discordopus/protocol';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { App } from '../../app';
import { FAKE_OWN_KEY, fakeContact } from '../../test-support/fake-core';
import { flushBridge, renderWithCore } from '../../test-support/render-app';

const unlocked = {
  session: 'unlocked' as const,
  passphrase: 'correct horse battery',
  identity: { userId: encodeUserId(FAKE_OWN_KEY), displayName: 'Alice' },
};
const bob = fakeContact(2, { displayName: 'Bob', onlineStatus: 'online' });

async function withUnread(count: number) {
  // Not focused: nothing is marked read while the test looks.
  vi.spyOn(document, 'hasFocus').mockReturnValue(false);
  const h = renderWithCore(<App />, { state: { ...unlocked, contacts: [bob] } });
  const start = Date.now() - 500 * 60_000;
  h.core.messages.seed(bob.publicKey, 300, (i) => ({ text: `old ${i}`, outgoing: i % 2 === 0, sentAt: start + i * 60_000 }));
  await act(async () => {
    for (let i = 0; i < count; i++) h.core.messages.receive(bob.publicKey, `new ${i}`);
  });
  await flushBridge();
  const row = await waitFor(() => screen.getAllByTestId('contact-row')[0]!);
  await h.user.click(within(row).getAllByRole('button')[0]!);
  await screen.findByTestId('conversation');
  await flushBridge();
  return h;
}

/** The row rendered right after the "New messages" line. */
function afterMarker(): string | null | undefined {
  const marker = screen.getByTestId('unread-marker').parentElement!;
  const next = marker.nextElementSibling as HTMLElement | null;
  return next?.querySelector('[data-testid="message-text"]')?.textContent;
}

afterEach(() => vi.restoreAllMocks());

describe('the first unread message (MSG-04)', () => {
  it('MSG-04: a "New messages" line sits above the first unread message and the view opens there', async () => {
    await withUnread(30);
    await waitFor(() => expect(afterMarker()).toBe('new 0'));
    expect(screen.queryByTestId('jump-to-unread')).toBeNull();
    // The view starts at the line, not at the bottom: the newest is not the first thing shown.
    const scroller = screen.getByTestId('message-scroller');
    expect(scroller.scrollTop).toBeLessThan(scroller.scrollHeight - 600);
  });

  it('MSG-04: more unread than one page: "jump to the first" loads older pages until it is there', async () => {
    const h = await withUnread(80);
    expect(screen.queryByTestId('unread-marker')).toBeNull();
    const jump = await screen.findByTestId('jump-to-unread');
    expect(jump.textContent).toBe('80 new messages — jump to the first');
    await h.user.click(jump);
    await flushBridge();
    await waitFor(() => expect(afterMarker()).toBe('new 0'));
    expect(h.core.calls.filter((c) => c === 'messages.history').length).toBeGreaterThan(1);
  });
});

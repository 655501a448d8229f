import { act, fireEvent, screen, waitFor, within } from '@testing-library/react';
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
const carol = fakeContact(3, { displayName: 'Carol', onlineStatus: 'online' });

type Harness = ReturnType<typeof renderWithCore>;

function rowOf(publicKey: string): HTMLElement {
  const row = screen.getAllByTestId('contact-row').find((r) => r.dataset.publicKey === publicKey);
  if (row === undefined) throw new Error(`no row for ${publicKey}`);
  return row;
}

async function open(h: Harness, publicKey: string) {
  await h.user.click(within(await waitFor(() => rowOf(publicKey))).getAllByRole('button')[0] as HTMLElement);
  await waitFor(() => expect(screen.getByTestId('conversation').dataset.publicKey).toBe(publicKey));
  await flushBridge();
}

function shownMessages(): HTMLElement[] {
  return screen.queryAllByTestId('message');
}

function messageWithText(text: string): HTMLElement {
  const found = shownMessages().find((m) => within(m).queryByTestId('message-text')?.textContent === text);
  if (found === undefined) throw new Error(`no message "${text}" among ${shownMessages().length}`);
  return found;
}

function focused(value: boolean) {
  vi.spyOn(document, 'hasFocus').mockReturnValue(value);
}

afterEach(() => vi.restoreAllMocks());

describe('the conversation view (MSG-01, MSG-03, MSG-04, MSG-05)', () => {
  it('MSG-01: Enter sends, Shift+Enter is a new line; the tick goes queued → delivered → read', async () => {
    focused(true);
    const h = renderWithCore(<App />, { state: { ...unlocked, contacts: [bob] } });
    await open(h, bob.publicKey);
    expect(screen.getByTestId('conversation-empty')).toBeTruthy();
    const input = screen.getByTestId('composer-input');
    await h.user.type(input, 'Hello{Shift>}{Enter}{/Shift}Bob{Enter}');
    await flushBridge();
    const sent = h.core.messages.all(bob.publicKey);
    expect(sent.map((m) => m.text)).toEqual(['Hello\nBob']);
    expect((input as HTMLTextAreaElement).value).toBe('');
    const row = messageWithText('Hello\nBob');
    expect(within(row).getByTestId('message-state').dataset.state).toBe('queued');
    expect(within(row).getByTestId('message-state').getAttribute('aria-label')).toBe('Waiting to be sent');

    await act(async () => h.core.messages.receipt(bob.publicKey, 'delivered', sent[0]!.seq));
    await flushBridge();
    expect(within(messageWithText('Hello\nBob')).getByTestId('message-state').dataset.state).toBe('delivered');
    await act(async () => h.core.messages.receipt(bob.publicKey, 'read', sent[0]!.seq));
    await flushBridge();
    expect(within(messageWithText('Hello\nBob')).getByTestId('message-state').getAttribute('aria-label')).toBe('Read');
    expect(screen.getAllByTestId('day-separator').map((d) => d.textContent)).toEqual(['Today']);
  });

  it('MSG-01: an over-long text shows the counter and is refused with the sentence; nothing is sent', async () => {
    const h = renderWithCore(<App />, { state: { ...unlocked, contacts: [bob] } });
    await open(h, bob.publicKey);
    const input = screen.getByTestId('composer-input');
    fireEvent.change(input, { target: { value: 'x'.repeat(3600) } });
    expect(screen.getByTestId('composer-counter').textContent).toBe('400');
    fireEvent.change(input, { target: { value: 'x'.repeat(4003) } });
    expect(screen.getByTestId('composer-counter').textContent).toBe('-3');
    expect(screen.getByTestId('composer-problem').textContent).toBe('A message is at most 4000 characters; this one has 4003.');
    fireEvent.keyDown(input, { key: 'Enter' });
    await flushBridge();
    expect(h.core.calls).not.toContain('messages.send');
    expect(h.core.messages.all(bob.publicKey)).toEqual([]);
  });

  it('MSG-04: unread badges count a contact’s messages; reading them in a focused window clears the badge and marks them read', async () => {
    focused(false);
    const h = renderWithCore(<App />, { state: { ...unlocked, contacts: [bob, carol] } });
    await waitFor(() => rowOf(carol.publicKey));
    await act(async () => {
      h.core.messages.receive(carol.publicKey, 'Are you there?');
      h.core.messages.receive(carol.publicKey, 'Hello?');
    });
    await flushBridge();
    expect(within(rowOf(carol.publicKey)).getByTestId('unread-badge').textContent).toBe('2');
    expect(document.title).toBe('(2) DiscordOpus');
    await open(h, carol.publicKey);
    expect(messageWithText('Hello?')).toBeTruthy();
    // The window is not focused: on screen is not yet read.
    expect(h.core.calls).not.toContain('messages.markRead');
    focused(true);
    await act(async () => void window.dispatchEvent(new Event('focus')));
    await flushBridge();
    await waitFor(() => expect(within(rowOf(carol.publicKey)).queryByTestId('unread-badge')).toBeNull());
    expect(h.core.messages.all(carol.publicKey).map((m) => m.state)).toEqual(['read', 'read']);
    expect(document.title).toBe('DiscordOpus');
  });

  it('MSG-01: the contact typing shows “Bob is typing…”; typing here tells the core', async () => {
    const h = renderWithCore(<App />, { state: { ...unlocked, contacts: [bob] } });
    await open(h, bob.publicKey);
    await act(async () => h.core.messages.typing(bob.publicKey, true));
    await flushBridge();
    expect(screen.getByTestId('typing-indicator').textContent).toBe('Bob is typing…');
    await act(async () => h.core.messages.typing(bob.publicKey, false));
    await flushBridge();
    expect(screen.getByTestId('typing-indicator').textContent).toBe('');
    await h.user.type(screen.getByTestId('composer-input'), 'h');
    await flushBridge();
    expect(h.core.calls.filter((c) => c === 'messages.typing')).toHaveLength(1);
    // Going elsewhere while typing (here without a blur: a notification's click selects another conversation) says "stopped" at once.
    await act(async () => h.store.getState().selectContact(null));
    await flushBridge();
    expect(h.core.calls.filter((c) => c === 'messages.typing')).toHaveLength(2);
  });

  it('MSG-03: reply quotes the message above the composer and on the new message', async () => {
    const h = renderWithCore(<App />, { state: { ...unlocked, contacts: [bob] } });
    await open(h, bob.publicKey);
    await act(async () => void h.core.messages.receive(bob.publicKey, 'Lunch at noon?'));
    await flushBridge();
    await h.user.click(within(messageWithText('Lunch at noon?')).getByTestId('message-reply'));
    expect(screen.getByTestId('composer-reply').textContent).toContain('Replying to Bob: Lunch at noon?');
    await h.user.type(screen.getByTestId('composer-input'), 'Yes!{Enter}');
    await flushBridge();
    expect(screen.queryByTestId('composer-reply')).toBeNull();
    const [original, reply] = h.core.messages.all(bob.publicKey);
    expect(reply!.replyTo).toBe(original!.id);
    expect(within(messageWithText('Yes!')).getByTestId('message-quote').textContent).toContain('BobLunch at noon?');
  });

  it('MSG-03: edit inline (Up edits the last own message, Escape cancels), then delete after confirming: a tombstone stays', async () => {
    const h = renderWithCore(<App />, { state: { ...unlocked, contacts: [bob] } });
    await open(h, bob.publicKey);
    const input = screen.getByTestId('composer-input');
    await h.user.type(input, 'teh first{Enter}');
    await flushBridge();
    await h.user.type(input, '{ArrowUp}');
    const editor = await screen.findByTestId('message-edit-input');
    await h.user.type(editor, '{Escape}');
    expect(screen.queryByTestId('message-edit-input')).toBeNull();
    await h.user.click(within(messageWithText('teh first')).getByTestId('message-edit'));
    const again = await screen.findByTestId('message-edit-input');
    await h.user.clear(again);
    await h.user.type(again, 'the first{Enter}');
    await flushBridge();
    expect(within(messageWithText('the first')).getByTestId('message-edited').textContent).toBe('(edited)');
    expect(h.core.messages.all(bob.publicKey)[0]!.text).toBe('the first');

    await h.user.click(within(messageWithText('the first')).getByTestId('message-delete'));
    await h.user.click(await screen.findByTestId('delete-message-confirm'));
    await flushBridge();
    await waitFor(() => expect(screen.getByTestId('message-tombstone').textContent).toBe('message deleted'));
    expect(h.core.messages.all(bob.publicKey)[0]).toMatchObject({ deleted: true, text: '' });
  });

  it('MSG-03: a reaction from the picker shows with its count and toggles off again', async () => {
    const h = renderWithCore(<App />, { state: { ...unlocked, contacts: [bob] } });
    await open(h, bob.publicKey);
    await act(async () => void h.core.messages.receive(bob.publicKey, 'Good news!'));
    await flushBridge();
    await h.user.click(within(messageWithText('Good news!')).getByTestId('message-react'));
    const choice = (await screen.findAllByTestId('reaction-choice')).find((c) => c.dataset.emoji === '🎉')!;
    await h.user.click(choice);
    await flushBridge();
    const chip = within(messageWithText('Good news!')).getByTestId('reaction');
    expect(chip.getAttribute('aria-label')).toBe('🎉 1');
    expect(chip.getAttribute('aria-pressed')).toBe('true');
    await h.user.click(chip);
    await flushBridge();
    expect(within(messageWithText('Good news!')).queryByTestId('reaction')).toBeNull();
  });

  it('MSG-05: search finds a message far back; choosing it loads that part of the history and highlights it', async () => {
    const h = renderWithCore(<App />, { state: { ...unlocked, contacts: [bob] } });
    const start = Date.now() - 1_000 * 60_000;
    h.core.messages.seed(bob.publicKey, 1_000, (i) => ({ text: i === 10 ? 'the pineapple recipe' : `message ${i}`, outgoing: i % 2 === 0, sentAt: start + i * 60_000 }));
    await open(h, bob.publicKey);
    expect(() => messageWithText('the pineapple recipe')).toThrow();
    await h.user.type(screen.getByTestId('message-search'), 'pineapp{Enter}');
    await flushBridge();
    const [result] = await screen.findAllByTestId('search-result');
    expect(result!.textContent).toContain('the pineapple recipe');
    await h.user.click(result!);
    await flushBridge();
    await waitFor(() => expect(messageWithText('the pineapple recipe').className).toContain('bg-accent/15'));
  });

  it('MSG-05: the search belongs to its conversation: another contact shows an empty search and none of the first one\'s results', async () => {
    const h = renderWithCore(<App />, { state: { ...unlocked, contacts: [bob, carol] } });
    h.core.messages.seed(bob.publicKey, 3, (i) => ({ text: `bob's pineapple ${i}`, outgoing: false, sentAt: Date.now() - (10 - i) * 60_000 }));
    await open(h, bob.publicKey);
    await h.user.type(screen.getByTestId('message-search'), 'pineapple{Enter}');
    await flushBridge();
    expect(await screen.findAllByTestId('search-result')).toHaveLength(3);
    await open(h, carol.publicKey);
    expect(screen.queryByTestId('search-results')).toBeNull();
    expect((screen.getByTestId('message-search') as HTMLInputElement).value).toBe('');
    await h.user.type(screen.getByTestId('message-search'), 'pineapple{Enter}');
    await flushBridge();
    await waitFor(() => expect(screen.getByTestId('search-results').textContent).toContain('0 results'));
  });

  it('MSG-01: a conversation of 100,000 messages renders only a window of rows and loads older pages on scroll-up, keeping the position', async () => {
    focused(true);
    const h = renderWithCore(<App />, { state: { ...unlocked, contacts: [bob] } });
    const start = Date.now() - 100_000 * 1_000;
    h.core.messages.seed(bob.publicKey, 100_000, (i) => ({ text: `message ${i}`, outgoing: i % 3 === 0, sentAt: start + i * 1_000 }));
    await open(h, bob.publicKey);
    await waitFor(() => expect(messageWithText('message 99999')).toBeTruthy());
    expect(shownMessages().length).toBeGreaterThan(5);
    expect(shownMessages().length).toBeLessThan(60);
    const scroller = screen.getByTestId('message-scroller');
    const historyCalls = () => h.core.calls.filter((c) => c === 'messages.history').length;
    expect(historyCalls()).toBe(1);
    await act(async () => {
      scroller.scrollTop = 0;
      fireEvent.scroll(scroller);
    });
    await flushBridge();
    await waitFor(() => expect(historyCalls()).toBe(2));
    // The older page went above: the view moved down by its height instead of jumping to it.
    await waitFor(() => expect(scroller.scrollTop).toBeGreaterThan(1_000));
    expect(shownMessages().length).toBeLessThan(60);
    expect(() => messageWithText('message 99950')).not.toThrow();
  });
});

import { describe, expect, it } from 'vitest';
import { createTestVault } from '../../test/helpers/test-vault';
import { tempDir } from '../../test/helpers/temp-dir';
import { Identity } from '../identity/identity';
import type { LinkStateEvent } from '../links/link-events';
import { silentLogger } from '../logging/logger';
import { ManualClock } from '../messages/message-harness.test-helper';
import { ClientMessages, OUTBOX_RETRY_MS } from './client-messages';
import type { MessageLinkOpenResult, MessageLinkPort } from './message-link-port';

/**
 * The root's message wiring against a link port whose answers the test chooses (failure
 * injection: a set-up that fails, a link that goes idle), with a real vault and a manual clock.
 */
async function setup(answers: MessageLinkOpenResult[]) {
  const clock = new ManualClock();
  const vault = await createTestVault(tempDir(), { now: () => clock.now() });
  const bob = Identity.create('Bob');
  const bobHex = Buffer.from(bob.publicKey).toString('hex');
  vault.contacts.add(bob.userId);
  const opens: { peer: string; intent: string }[] = [];
  const listeners: { state: ((e: LinkStateEvent) => void)[] } = { state: [] };
  const port: MessageLinkPort = {
    open: (peer, { intent }) => {
      opens.push({ peer, intent });
      return answers.shift() ?? { ok: true };
    },
    send: () => true,
    onLinkState: (l) => (listeners.state.push(l), () => {}),
    onFrame: () => () => {},
    onDrained: () => () => {},
  };
  const messages = new ClientMessages({ store: vault.messages, contacts: vault.contacts, settings: vault.settings, clock, emit: () => {}, logger: silentLogger });
  messages.attachLinks(port);
  const linkState = (e: Partial<LinkStateEvent>) =>
    listeners.state.forEach((l) => l({ peer: bobHex, linkId: 'l1', state: 'open', reason: null, path: null, rttMs: null, initiator: 'local', ...e }));
  return { clock, vault, bobHex, opens, messages, linkState };
}

describe('ClientMessages: links for a waiting outbox (MSG-02)', () => {
  it('MSG-02: a send to an online contact opens with intent user; a waiting outbox opens with intent auto when the contact shows online', async () => {
    const { vault, bobHex, opens, messages } = await setup([]);
    messages.start();
    messages.send(bobHex, 'offline one'); // bob is not online: nothing opened
    expect(opens).toEqual([]);
    vault.contacts.updatePresence(bobHex, 'online', null);
    expect(opens).toEqual([{ peer: bobHex, intent: 'auto' }]);
    messages.send(bobHex, 'now');
    expect(opens.at(-1)).toEqual({ peer: bobHex, intent: 'user' });
    messages.stop();
    vault.close();
  });

  it('MSG-02: a refused or failed open is asked again every outboxRetryMs while changes wait; not once they are acknowledged; never after stop()', async () => {
    const { clock, vault, bobHex, opens, messages } = await setup([
      { ok: false, code: 'ENGINE_FAILED', reason: 'x' },
      { ok: false, code: 'INVISIBLE', reason: 'y' },
    ]);
    vault.contacts.updatePresence(bobHex, 'online', null);
    vault.messages.send(bobHex, 'waiting');
    messages.start();
    expect(opens).toHaveLength(1); // at start: refused (engine)
    clock.advance(OUTBOX_RETRY_MS - 1);
    expect(opens).toHaveLength(1);
    clock.advance(1);
    expect(opens).toHaveLength(2); // refused (invisible)
    clock.advance(OUTBOX_RETRY_MS);
    expect(opens.map((o) => o.intent)).toEqual(['auto', 'auto', 'auto']);
    vault.messages.applyAck(bobHex, 1); // delivered over some link
    clock.advance(OUTBOX_RETRY_MS * 3);
    expect(opens).toHaveLength(3);
    expect(clock.pendingTimers).toBe(0); // nothing waits: no timer
    messages.send(bobHex, 'another'); // waits again: looked at again later
    expect(clock.pendingTimers).toBe(1);
    messages.stop();
    expect(clock.pendingTimers).toBe(0);
    vault.close();
  });

  it('MSG-02: a link that closes idle while changes wait is replaced; one that closes for another reason is left to the links', async () => {
    const { vault, bobHex, opens, messages, linkState } = await setup([]);
    vault.contacts.updatePresence(bobHex, 'online', null);
    messages.start();
    linkState({ state: 'open', linkId: 'l1' });
    vault.messages.send(bobHex, 'unacknowledged');
    const before = opens.length;
    linkState({ state: 'closed', linkId: 'l1', reason: 'idle' });
    expect(opens.slice(before)).toEqual([{ peer: bobHex, intent: 'auto' }]);
    linkState({ state: 'open', linkId: 'l2' });
    linkState({ state: 'closed', linkId: 'l2', reason: 'auth-failed' });
    expect(opens.slice(before)).toHaveLength(1);
    messages.stop();
    vault.close();
  });
});

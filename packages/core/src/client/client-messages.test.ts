import { describe, expect, it } from 'vitest';
import { createTestVault } from '../../test/helpers/test-vault';
import { tempDir } from '../../test/helpers/temp-dir';
import { Identity } from '../identity/identity';
import type { LinkStateEvent } from '../links/link-events';
import { silentLogger } from '../logging/logger';
import { ManualClock } from '../messages/message-harness.test-helper';
import { ClientMessages, OUTBOX_RETRY_MAX_MS, OUTBOX_RETRY_MS } from './client-messages';
import type { MessageLinkOpenResult, MessageLinkPort } from './message-link-port';

/**
 * The root's message wiring against a link port whose answers the test chooses (failure
 * injection: a set-up that fails, a link that goes idle), with a real vault and a manual clock.
 */
async function setup(answers: MessageLinkOpenResult[], storeFault: { peersWithPending: number } = { peersWithPending: 0 }) {
  const clock = new ManualClock();
  const vault = await createTestVault(tempDir(), { now: () => clock.now() });
  const bob = Identity.create('Bob');
  const bobHex = Buffer.from(bob.publicKey).toString('hex');
  vault.contacts.add(bob.userId);
  const opens: { peer: string; intent: string }[] = [];
  const listeners: { state: ((e: LinkStateEvent) => void)[]; warning: ((e: { peer: string }) => void)[] } = { state: [], warning: [] };
  const port: MessageLinkPort = {
    open: (peer, { intent }) => {
      opens.push({ peer, intent });
      return answers.shift() ?? { ok: true };
    },
    send: () => true,
    onLinkState: (l) => (listeners.state.push(l), () => {}),
    onFrame: () => () => {},
    onDrained: () => () => {},
    onSecurityWarning: (l) => (listeners.warning.push(l), () => {}),
  };
  // Failure injection: the store's list of waiting outboxes throws the next n times.
  const store = new Proxy(vault.messages, {
    get(target, key) {
      if (key === 'peersWithPending' && storeFault.peersWithPending > 0) {
        return () => {
          storeFault.peersWithPending -= 1;
          throw Object.assign(new Error('disk I/O error'), { code: 'VAULT_IO' });
        };
      }
      const value: unknown = Reflect.get(target, key, target);
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
  const messages = new ClientMessages({ store, contacts: vault.contacts, settings: vault.settings, clock, emit: () => {}, logger: silentLogger });
  messages.attachLinks(port);
  const linkState = (e: Partial<LinkStateEvent>) =>
    listeners.state.forEach((l) => l({ peer: bobHex, linkId: 'l1', state: 'open', reason: null, path: null, rttMs: null, initiator: 'local', ...e }));
  const securityWarning = () => listeners.warning.forEach((l) => l({ peer: bobHex }));
  return { clock, vault, bobHex, opens, messages, linkState, securityWarning };
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

  it('MSG-02: a refused or failed open is asked again with a back-off (outboxRetryMs × 2^n) while changes wait; not once they are acknowledged; never after stop()', async () => {
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
    expect(opens).toHaveLength(2); // the second failure doubled the wait
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

  it('MSG-02: the back-off is capped at outboxRetryMaxMs; a link that opens starts it over', async () => {
    const { clock, vault, bobHex, opens, messages, linkState } = await setup(Array.from({ length: 20 }, () => ({ ok: false, code: 'ENGINE_FAILED', reason: 'x' })));
    vault.contacts.updatePresence(bobHex, 'online', null);
    vault.messages.send(bobHex, 'waiting');
    messages.start();
    const at: number[] = [];
    for (let t = 0; t <= 10 * OUTBOX_RETRY_MAX_MS; t += OUTBOX_RETRY_MS) {
      if (opens.length > at.length) at.push(clock.monotonic());
      clock.advance(OUTBOX_RETRY_MS);
    }
    const gaps = at.slice(1).map((t, i) => t - (at[i] as number));
    expect(gaps.slice(0, 4)).toEqual([1, 2, 4, 8].map((n) => n * OUTBOX_RETRY_MS));
    expect(Math.max(...gaps)).toBe(OUTBOX_RETRY_MAX_MS);
    expect(gaps.slice(4).every((g) => g === OUTBOX_RETRY_MAX_MS)).toBe(true);
    linkState({ state: 'open', linkId: 'l1' });
    linkState({ state: 'closed', linkId: 'l1', reason: 'idle' }); // replaced at once: the back-off was reset
    expect(opens).toHaveLength(at.length + 1);
    messages.stop();
    vault.close();
  });

  for (const reason of ['auth-failed', 'relay-required', 'refused', 'contact-removed'] as const) {
    it(`MSG-02, P2P-02: after a close for ${reason} (even of a link still connecting) the outbox never reopens by itself`, async () => {
      const { clock, vault, bobHex, opens, messages, linkState } = await setup([]);
      vault.contacts.updatePresence(bobHex, 'online', null);
      vault.messages.send(bobHex, 'waiting');
      messages.start();
      expect(opens).toHaveLength(1);
      linkState({ state: 'connecting', linkId: 'l1' });
      linkState({ state: 'closed', linkId: 'l1', reason });
      clock.advance(OUTBOX_RETRY_MAX_MS * 10);
      vault.contacts.updatePresence(bobHex, 'away', null); // presence changes do not lift it either
      vault.contacts.updatePresence(bobHex, 'online', null);
      expect(opens).toHaveLength(1);
      messages.stop();
      vault.close();
    });
  }

  it('MSG-02: a user change lifts a relay-required hold (opens with intent user), then automatic retries resume', async () => {
    const { clock, vault, bobHex, opens, messages, linkState } = await setup([]);
    vault.contacts.updatePresence(bobHex, 'online', null);
    vault.messages.send(bobHex, 'waiting');
    messages.start();
    linkState({ state: 'closed', linkId: 'l1', reason: 'relay-required' });
    clock.advance(OUTBOX_RETRY_MS * 4);
    expect(opens).toHaveLength(1);
    messages.send(bobHex, 'again');
    expect(opens.at(-1)).toEqual({ peer: bobHex, intent: 'user' });
    clock.advance(OUTBOX_RETRY_MS);
    expect(opens.at(-1)).toEqual({ peer: bobHex, intent: 'auto' });
    messages.stop();
    vault.close();
  });

  it('MSG-02, P2P-02: after auth-failed or a security warning even a user send opens nothing until the user opens the link (the warning dismissed)', async () => {
    for (const cause of ['auth-failed', 'warning'] as const) {
      const { clock, vault, bobHex, opens, messages, linkState, securityWarning } = await setup([]);
      vault.contacts.updatePresence(bobHex, 'online', null);
      messages.start();
      if (cause === 'warning') securityWarning();
      else linkState({ state: 'closed', linkId: 'l1', reason: 'auth-failed' });
      messages.send(bobHex, 'hello');
      messages.edit(bobHex, messages.history(bobHex).messages[0]!.id, 'hello!');
      clock.advance(OUTBOX_RETRY_MAX_MS * 4);
      expect(opens).toEqual([]);
      messages.userOpenedLink(bobHex);
      clock.advance(OUTBOX_RETRY_MS);
      expect(opens).toEqual([{ peer: bobHex, intent: 'auto' }]);
      messages.stop();
      vault.close();
    }
  });

  it('MSG-02: a store error while looking at the waiting outboxes does not stop the retries (the timer is re-armed)', async () => {
    const fault = { peersWithPending: 2 };
    const { clock, vault, bobHex, opens, messages } = await setup([], fault);
    vault.contacts.updatePresence(bobHex, 'online', null);
    vault.messages.send(bobHex, 'waiting');
    messages.start(); // throws
    expect(opens).toEqual([]);
    expect(clock.pendingTimers).toBe(1);
    clock.advance(OUTBOX_RETRY_MS); // throws again
    expect(clock.pendingTimers).toBe(1);
    clock.advance(OUTBOX_RETRY_MS);
    expect(opens).toEqual([{ peer: bobHex, intent: 'auto' }]);
    messages.stop();
    vault.close();
  });
});

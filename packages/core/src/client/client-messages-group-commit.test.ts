import { describe, expect, it } from 'vitest';
import type { MessageFrame } from '@discordopus/protocol/messages';
import { createTestVault } from '../../test/helpers/test-vault';
import { tempDir } from '../../test/helpers/temp-dir';
import { Identity } from '../identity/identity';
import type { LinkStateEvent } from '../links/link-events';
import { silentLogger } from '../logging/logger';
import { ManualClock } from '../messages/message-harness.test-helper';
import { ClientMessages } from './client-messages';
import type { MessageLinkPort } from './message-link-port';

describe('ClientMessages.sendAsync: group commit as the bridge uses it (MSG-02, VAULT-03, issue #12)', () => {
  it('MSG-02: sends asked for in one turn share one commit, each settles after it, the link is opened with intent user, no change goes before the peer’s resume', async () => {
    const clock = new ManualClock();
    const vault = await createTestVault(tempDir(), { now: () => clock.now() });
    const bob = Identity.create('Bob');
    const bobHex = Buffer.from(bob.publicKey).toString('hex');
    vault.contacts.add(bob.userId);
    const opens: string[] = [];
    const sent: MessageFrame[] = [];
    const state: ((e: LinkStateEvent) => void)[] = [];
    const port: MessageLinkPort = {
      open: (_peer, { intent }) => (opens.push(intent), { ok: true }),
      send: (_peer, frame) => (sent.push(frame), true),
      onLinkState: (l) => (state.push(l), () => {}),
      onFrame: () => () => {},
      onDrained: () => () => {},
      onSecurityWarning: () => () => {},
    };
    const batches: number[] = [];
    const realBatch = vault.messages.sendBatch.bind(vault.messages);
    vault.messages.sendBatch = (items) => (batches.push(items.length), realBatch(items));
    const messages = new ClientMessages({ store: vault.messages, contacts: vault.contacts, settings: vault.settings, clock, emit: () => {}, logger: silentLogger });
    messages.attachLinks(port);
    messages.start();
    vault.contacts.updatePresence(bobHex, 'online', null);
    state.forEach((l) => l({ peer: bobHex, linkId: 'l1', state: 'open', reason: null, path: null, rttMs: null, initiator: 'local' }));

    const stored = await Promise.all([1, 2, 3, 4, 5].map((i) => messages.sendAsync(bobHex, `burst ${i}`)));
    expect(batches).toEqual([5]);
    expect(stored.map((m) => m.seq)).toEqual([1, 2, 3, 4, 5]);
    expect(vault.messages.syncPoints(bobHex).ownSeq).toBe(5);
    expect(opens).toContain('user');
    // The peer's resume has not come: the messages wait in the outbox until it does (no frame yet).
    expect(sent.filter((f) => f.type === 'message.send')).toEqual([]);
    messages.stop();
    vault.close();
  });
});

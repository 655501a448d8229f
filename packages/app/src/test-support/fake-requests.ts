import { DiscordOpusError, encodeUserId, hexToBytes, shortUserId } from '@discordopus/protocol';
import type { BridgeEventName, BridgeEventPayload, BridgeHandlers, Contact, RequestsOverview } from '@discordopus/protocol/bridge';

type RequestMethods = 'requests.list' | 'requests.accept' | 'requests.ignore' | 'requests.block' | 'requests.unblock';

/** What the fake's request calls need of FakeCore. */
export interface FakeRequestHost {
  /** FakeCore's state object (read when a call runs). */
  state(): { contacts: Contact[]; requests: RequestsOverview };
  /** Record the call (and refuse it while locked); returns `value`. */
  log<T>(method: string, value: T): T;
  emit<E extends BridgeEventName>(event: E, payload: BridgeEventPayload<E>): void;
  now(): number;
  /** Add a contact as `contacts.add` does. */
  addContact(userId: string): Promise<Contact>;
}

const notFound = () => new DiscordOpusError('CONTACT_NOT_FOUND', 'There is no such contact (was it removed?).');

/**
 * The fake's CONT-06 calls, with the real core's rules the UI relies on: accept adds the
 * requester (not pending: they asked), ignore hides, block removes a contact and refuses its key
 * until unblocked. Ignored requests are simply dropped here (the real core keeps them hidden).
 */
export function fakeRequestHandlers(host: FakeRequestHost): Pick<BridgeHandlers, RequestMethods> {
  const changed = () => host.emit('requests.changed', host.state().requests);
  const take = (publicKey: string) => {
    const request = host.state().requests.incoming.find((r) => r.publicKey === publicKey);
    if (request === undefined) throw notFound();
    host.state().requests = { ...host.state().requests, incoming: host.state().requests.incoming.filter((r) => r.publicKey !== publicKey) };
    return request;
  };
  return {
    'requests.list': async () => host.log('requests.list', host.state().requests),
    'requests.accept': async ({ publicKey }) => {
      host.log('requests.accept', null);
      const request = take(publicKey);
      const added = host.state().contacts.find((c) => c.publicKey === publicKey) ?? (await host.addContact(request.userId));
      const contact: Contact = { ...added, displayName: request.displayName, pending: false };
      host.state().contacts = host.state().contacts.map((c) => (c.publicKey === publicKey ? contact : c));
      host.emit('contacts.changed', { contacts: host.state().contacts });
      changed();
      return contact;
    },
    'requests.ignore': async ({ publicKey }) => {
      host.log('requests.ignore', null);
      take(publicKey);
      changed();
      return null;
    },
    'requests.block': async ({ publicKey }) => {
      host.log('requests.block', null);
      const contact = host.state().contacts.find((c) => c.publicKey === publicKey);
      const request = host.state().requests.incoming.find((r) => r.publicKey === publicKey);
      const userId = encodeUserId(hexToBytes(publicKey));
      const label = contact?.nickname ?? contact?.displayName ?? request?.displayName ?? shortUserId(userId);
      const blocked = host.state().requests.blocked.some((b) => b.publicKey === publicKey)
        ? host.state().requests.blocked
        : [...host.state().requests.blocked, { publicKey, userId, label, blockedAt: host.now() }];
      host.state().requests = { incoming: host.state().requests.incoming.filter((r) => r.publicKey !== publicKey), blocked };
      if (contact !== undefined) {
        host.state().contacts = host.state().contacts.filter((c) => c.publicKey !== publicKey);
        host.emit('contacts.changed', { contacts: host.state().contacts });
      }
      changed();
      return null;
    },
    'requests.unblock': async ({ publicKey }) => {
      host.log('requests.unblock', null);
      if (!host.state().requests.blocked.some((b) => b.publicKey === publicKey)) throw notFound();
      host.state().requests = { ...host.state().requests, blocked: host.state().requests.blocked.filter((b) => b.publicKey !== publicKey) };
      changed();
      return null;
    },
  };
}

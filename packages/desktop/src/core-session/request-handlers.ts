import { ContactError, type ContactRequestManager, type RequestsOverview as CoreRequestsOverview } from '@discordopus/core';
import type { BridgeHandlers, RequestsOverview } from '@discordopus/protocol/bridge';
import { contactForBridge } from './bridge-mapping';

type RequestMethods = 'requests.list' | 'requests.accept' | 'requests.ignore' | 'requests.block' | 'requests.unblock';

/** CONT-06: incoming requests and blocked keys as the bridge carries them. */
export function requestsForBridge(overview: CoreRequestsOverview): RequestsOverview {
  return {
    ...(overview.refusedWhileFull > 0 ? { refusedWhileFull: overview.refusedWhileFull } : {}),
    incoming: overview.incoming.map((r) => ({ publicKey: r.publicKey, userId: r.userId, displayName: r.card.displayName, note: r.note, receivedAt: r.receivedAt })),
    blocked: overview.blocked.map((b) => ({ publicKey: b.publicKey, userId: b.userId, label: b.label, blockedAt: b.blockedAt })),
  };
}

/** The CONT-06 bridge calls, given the open profile's request manager (throws while locked). */
export function requestHandlers(manager: () => ContactRequestManager): Pick<BridgeHandlers, RequestMethods> {
  return {
    'requests.list': async () => requestsForBridge(manager().overview()),
    'requests.accept': async ({ publicKey }) => contactForBridge(manager().accept(publicKey)),
    'requests.ignore': async ({ publicKey }) => {
      manager().ignore(publicKey);
      return null;
    },
    'requests.block': async ({ publicKey }) => {
      manager().block(publicKey);
      return null;
    },
    'requests.unblock': async ({ publicKey }) => {
      manager().unblock(publicKey);
      return null;
    },
  };
}

/** A core built without requests cannot answer these (never the case in the desktop app). */
export function requireRequests(manager: ContactRequestManager | null): ContactRequestManager {
  if (manager === null) throw new ContactError('CONTACT_NOT_FOUND', 'Contact requests are not available in this core.');
  return manager;
}

import { useEffect } from 'react';
import { useActions, useAppState } from '../../store/app-context';

const REACHABLE = new Set(['online', 'away', 'busy']);

/**
 * P2P-01: links open on demand. Selecting a contact is the demand: while it is selected, the
 * link is asked for whenever the contact is (again) online and we are connected, and again when
 * relay-only changes (P2P-03: the core closes a direct link then, and the new one is relayed).
 * The core keeps an open link as it is and closes it itself when idle. While the contact has a
 * security warning (P2P-02) nothing is asked for: the user reads it first, and "I understand"
 * asks again. These opens are 'auto' (PRES-01): they never reveal an invisible user.
 */
export function useOpenLinkOnSelect(): void {
  const actions = useActions();
  const publicKey = useAppState((s) => s.selectedContactKey);
  const reachable = useAppState((s) => {
    const contact = s.contacts?.find((c) => c.publicKey === s.selectedContactKey);
    return contact !== undefined && REACHABLE.has(contact.onlineStatus);
  });
  const connected = useAppState((s) => s.connection?.state === 'connected');
  const relayOnly = useAppState((s) => s.settings?.relayOnly === true);
  // Going visible again asks again (the last ask was refused while invisible).
  const invisible = useAppState((s) => s.ownStatus === 'invisible');
  const warned = useAppState((s) => s.selectedContactKey !== null && s.securityWarnings[s.selectedContactKey] !== undefined);
  useEffect(() => {
    if (publicKey === null || !reachable || !connected || warned) return;
    // PRES-01: selecting is the app's own open ('auto'): while invisible the core refuses it with
    // INVISIBLE (nothing is shown; sending a message or starting a call is the user's act and opens).
    // LINK_UNREACHABLE when the contact left meanwhile: the header then simply shows no link.
    actions.openLink(publicKey, 'auto').catch(() => undefined);
  }, [actions, publicKey, reachable, connected, relayOnly, warned, invisible]);
}

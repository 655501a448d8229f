import type { LinkStatus } from '@discordopus/protocol/bridge';

/**
 * What the contact header says about the direct link (P2P-01, P2P-03): "Direct · 3 ms",
 * "Relayed · 41 ms", "Connecting…", or null when there is no link to talk about.
 */
export function linkLabel(link: LinkStatus | null | undefined): string | null {
  if (link === null || link === undefined) return null;
  switch (link.state) {
    case 'connecting':
      return 'Connecting…';
    case 'closed':
      return null;
    case 'open': {
      const path = link.path === 'relayed' ? 'Relayed' : link.path === 'direct' ? 'Direct' : 'Connected';
      return link.rttMs === null ? path : `${path} · ${link.rttMs} ms`;
    }
    default: {
      const never: never = link.state;
      return never;
    }
  }
}

/** The longer sentence behind the label (its tooltip). */
export function linkExplanation(link: LinkStatus): string {
  if (link.state === 'connecting') return 'Setting up an end-to-end encrypted link to this contact.';
  if (link.path === 'relayed') return 'End-to-end encrypted link through a relay server: the contact does not learn your IP address.';
  if (link.path === 'direct') return 'End-to-end encrypted link straight to this contact’s computer.';
  return 'End-to-end encrypted link to this contact.';
}

/** The security warning of P2P-02, worded for a person. */
export function securityWarningText(name: string): string {
  return `Someone may be interfering with the connection to ${name}. The link was refused.`;
}

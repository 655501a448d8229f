import type { Contact as CoreContact, ConnectionStatus } from '@discordopus/core';
import { BRIDGE_LIMITS, type ConnectionInfo, type Contact, type Settings, type Theme } from '@discordopus/protocol/bridge';

/** A vault contact as the bridge carries it (the shapes match; this keeps the bridge's field list). */
export function contactForBridge(contact: CoreContact): Contact {
  return {
    publicKey: contact.publicKey,
    userId: contact.userId,
    nickname: contact.nickname,
    verified: contact.verified,
    onlineStatus: contact.onlineStatus,
    lastSeenAt: contact.lastSeenAt,
    addedAt: contact.addedAt,
  };
}

/** The network's connection status as the connection indicator shows it (UI-01). */
export function connectionForBridge(status: ConnectionStatus): ConnectionInfo {
  const reason = status.detail ?? status.reason;
  return {
    state: status.state,
    reason: reason === null ? null : reason.slice(0, BRIDGE_LIMITS.reasonChars),
    nextRetryAt: status.state === 'backing-off' ? status.nextRetryAt : null,
    // The network names the server as scheme://host:port, never with a path or query.
    serverUrl: status.server,
  };
}

export function settingsForBridge(signalingUrls: readonly string[], theme: Theme, signalingNote: string | null = null, allowInsecureRemote = false): Settings {
  // The note and the switch are left out when empty or off: what an older app or the fake core sends too.
  return {
    signalingUrls: [...signalingUrls],
    theme,
    ...(signalingNote !== null ? { signalingNote: signalingNote.slice(0, BRIDGE_LIMITS.reasonChars) } : {}),
    ...(allowInsecureRemote ? { allowInsecureRemote } : {}),
  };
}

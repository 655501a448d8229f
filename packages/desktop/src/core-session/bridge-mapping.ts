import type { Contact as CoreContact, ConnectionStatus, SettingChange, Vault } from '@discordopus/core';
import { BRIDGE_LIMITS, type ConnectionInfo, type Contact, type Identity, type LinkStatus, type Settings, type Theme } from '@discordopus/protocol/bridge';
import { DEFAULT_VOICE_PREFERENCES, type VoicePreferences } from '@discordopus/protocol/calls';

/** A vault contact as the bridge carries it (the shapes match; this keeps the bridge's field list). */
export function contactForBridge(contact: CoreContact): Contact {
  return {
    publicKey: contact.publicKey,
    userId: contact.userId,
    nickname: contact.nickname,
    displayName: contact.displayName,
    verified: contact.verified,
    onlineStatus: contact.onlineStatus,
    lastSeenAt: contact.lastSeenAt,
    addedAt: contact.addedAt,
    pending: contact.pending,
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

export interface SettingsForBridge {
  signalingUrls: readonly string[];
  theme: Theme;
  signalingNote?: string | null;
  allowInsecureRemote?: boolean;
  relayOnly?: boolean;
  linkIdleCloseMs?: number | null;
  sendReadReceipts?: boolean | null;
  /** FILE-01, FILE-03: the downloads folder in force, the receive limit, auto-accept from verified contacts. */
  files?: Pick<Settings, 'downloadsDir' | 'maxReceiveBytes' | 'autoAcceptVerifiedMaxBytes'> | null;
  voice?: VoicePreferences | null;
}

function isDefaultVoice(voice: VoicePreferences): boolean {
  return (Object.keys(DEFAULT_VOICE_PREFERENCES) as (keyof VoicePreferences)[]).every((key) => voice[key] === DEFAULT_VOICE_PREFERENCES[key]);
}

export function settingsForBridge({ signalingUrls, theme, signalingNote = null, allowInsecureRemote = false, relayOnly = false, linkIdleCloseMs = null, sendReadReceipts = null, files = null, voice = null }: SettingsForBridge): Settings {
  // The note and the switches are left out when empty or off: what an older app or the fake core sends too.
  return {
    signalingUrls: [...signalingUrls],
    theme,
    ...(signalingNote !== null ? { signalingNote: signalingNote.slice(0, BRIDGE_LIMITS.reasonChars) } : {}),
    ...(allowInsecureRemote ? { allowInsecureRemote } : {}),
    ...(relayOnly ? { relayOnly } : {}),
    ...(linkIdleCloseMs !== null ? { linkIdleCloseMs } : {}),
    ...(sendReadReceipts !== null ? { sendReadReceipts } : {}),
    ...(files !== null ? files : {}),
    // Left out while it is the default, like the switches: an absent `voice` changes nothing in a window.
    ...(voice !== null && !isDefaultVoice(voice) ? { voice: { ...voice } } : {}),
  };
}

/** What the core says of a link (P2P-01, P2P-03). */
export interface CoreLinkChange {
  publicKey: string;
  state: LinkStatus['state'];
  reason: string | null;
  path: LinkStatus['path'];
  rttMs: number | null;
}

/** A link change as the contact header shows it: a reason only for a closed link, a path and RTT (whole ms) only for a live one. */
export function linkForBridge(link: CoreLinkChange): LinkStatus {
  const { publicKey, state } = link;
  if (state === 'closed') return { publicKey, state, reason: link.reason?.slice(0, BRIDGE_LIMITS.reasonChars) ?? null, path: null, rttMs: null };
  const rttMs = link.rttMs === null || !Number.isFinite(link.rttMs) ? null : Math.min(3_600_000, Math.max(0, Math.round(link.rttMs)));
  return { publicKey, state, reason: null, path: link.path, rttMs };
}

/** The settings the bridge shows: a change to one of them is announced as `settings.changed`. */
export const SETTINGS_SHOWN: ReadonlySet<SettingChange['key']> = new Set([
  'appearance.theme',
  'network.signalingUrls',
  'network.allowInsecureRemote',
  'network.relayOnly',
  'links.idleCloseMs',
  'privacy.sendReadReceipts',
  'files.downloadsDir',
  'files.maxReceiveBytes',
  'files.autoAcceptVerifiedMaxBytes',
  'voice.preferences',
]);

/** The user's identity as the window shows it. */
export function identityOf(vault: Pick<Vault, 'identity'>): Identity {
  return { userId: vault.identity.userId, displayName: vault.identity.displayName };
}

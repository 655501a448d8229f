import { z } from 'zod';
import { voicePreferencesSchema } from '../calls/voice-preferences';
import {
  BRIDGE_LIMITS,
  contactStatusSchema,
  displayNameSchema,
  epochMsSchema,
  linkIdleCloseMsSchema,
  nicknameSchema,
  ownStatusValueSchema,
  publicKeyHexSchema,
  themeSchema,
  userIdSchema,
} from './primitives';

/** Where the app is: nothing made yet, a profile waiting for its passphrase, or open. */
export const SESSION_STATES = ['no-profile', 'locked', 'unlocked'] as const;
export const sessionSchema = z.object({
  state: z.enum(SESSION_STATES),
  profileName: z.string().max(BRIDGE_LIMITS.profileNameChars).nullable(),
});
export type Session = z.infer<typeof sessionSchema>;

/** The user's own identity (IDEN-01). */
export const identitySchema = z.object({
  userId: userIdSchema,
  displayName: displayNameSchema,
});
export type Identity = z.infer<typeof identitySchema>;

/** One contact as the UI shows it (CONT-01..05, PRES-02). */
export const contactSchema = z.object({
  publicKey: publicKeyHexSchema,
  userId: userIdSchema,
  nickname: nicknameSchema.nullable(),
  /**
   * The name the contact gave themselves, from their signed profile card (P2P-05), or null
   * before one arrived. Only bounded here: the core checked the card; the nickname overrides it.
   */
  displayName: z.string().min(1).max(BRIDGE_LIMITS.displayNameChars * 2).nullable(),
  verified: z.boolean(),
  onlineStatus: contactStatusSchema,
  lastSeenAt: epochMsSchema.nullable(),
  addedAt: epochMsSchema,
  /**
   * CONT-06: true while nothing shows that they added the user back (no presence, request or
   * acceptance from them yet); the sidebar says "Pending" instead of "Offline". Absent: false.
   */
  pending: z.boolean().optional(),
});
export type Contact = z.infer<typeof contactSchema>;

export const contactListSchema = z.object({
  contacts: z.array(contactSchema).max(BRIDGE_LIMITS.contacts),
});
export type ContactList = z.infer<typeof contactListSchema>;

/** The 60 digits both sides compare, and the same as 12 groups of 5 (CONT-05). */
export const safetyNumberSchema = z.object({
  digits: z.string().regex(/^\d{60}$/),
  groups: z.array(z.string().regex(/^\d{5}$/)).length(12),
});
export type SafetyNumber = z.infer<typeof safetyNumberSchema>;

export const ownStatusSchemaForBridge = z.object({ status: ownStatusValueSchema });
export type OwnStatusState = z.infer<typeof ownStatusSchemaForBridge>;

/** The signaling connection as the connection indicator shows it (UI-01, INFR-05). */
export const CONNECTION_STATES = ['disconnected', 'connecting', 'authenticating', 'connected', 'backing-off', 'failed'] as const;
export const connectionStateSchema = z.enum(CONNECTION_STATES);
export type ConnectionState = z.infer<typeof connectionStateSchema>;
export const connectionInfoSchema = z.object({
  state: connectionStateSchema,
  reason: z.string().max(BRIDGE_LIMITS.reasonChars).nullable(),
  /** When backing off: the epoch ms of the next attempt. */
  nextRetryAt: epochMsSchema.nullable(),
  serverUrl: z.string().max(BRIDGE_LIMITS.signalingUrlChars).nullable(),
});
export type ConnectionInfo = z.infer<typeof connectionInfoSchema>;

/**
 * Settings the UI can see and change (UI-02). What the core reports is only bounded: the strict
 * URL rule (signalingUrlSchema) applies to what the user sets, so an older stored value can
 * never make the settings unreadable.
 */
export const settingsSchema = z.object({
  signalingUrls: z.array(z.string().min(1).max(BRIDGE_LIMITS.signalingUrlChars)).min(1).max(BRIDGE_LIMITS.signalingUrls),
  theme: themeSchema,
  /**
   * A sentence the user should read about the servers in force, e.g. that the embedded server
   * could not take its usual port (issue 15, item 3); absent or null when there is none.
   */
  signalingNote: z.string().max(BRIDGE_LIMITS.reasonChars).nullable().optional(),
  /** Plain ws:// to another machine allowed (INFR-04 opt-in); absent means off. */
  allowInsecureRemote: z.boolean().optional(),
  /** P2P-03: direct links only through a TURN relay (contacts never learn the IP address); absent means off. */
  relayOnly: z.boolean().optional(),
  /** P2P-01: a direct link unused this long closes; absent from an older core. */
  linkIdleCloseMs: linkIdleCloseMsSchema.optional(),
  /** MSG-01: read receipts go to contacts (on by default); absent from an older core. */
  sendReadReceipts: z.boolean().optional(),
  /** FILE-03: the downloads folder in force (absolute); absent from an older core. */
  downloadsDir: z.string().min(1).max(4096).optional(),
  /** FILE-03: offers larger than this are refused on arrival; absent from an older core. */
  maxReceiveBytes: z.number().int().min(0).max(2 ** 40).optional(),
  /** FILE-01: auto-accept from verified contacts up to this size (0: off); absent from an older core. */
  autoAcceptVerifiedMaxBytes: z.number().int().min(0).max(2 ** 40).optional(),
  /** VOICE-01: Settings → Voice as remembered in the vault; absent from an older core. */
  voice: voicePreferencesSchema.optional(),
});
export type Settings = z.infer<typeof settingsSchema>;

export const presenceChangeSchema = z.object({
  publicKey: publicKeyHexSchema,
  status: contactStatusSchema,
  lastSeenAt: epochMsSchema.nullable(),
});
export type PresenceChange = z.infer<typeof presenceChangeSchema>;

export const backupFileSchema = z.object({
  fileName: z.string().min(1).max(BRIDGE_LIMITS.fileNameChars),
  backupBase64: z.string().min(1).max(BRIDGE_LIMITS.backupBase64Chars),
});
export type BackupFile = z.infer<typeof backupFileSchema>;

/** A direct link's state (P2P-01): being set up, open (authenticated), or closed. */
export const LINK_STATES = ['connecting', 'open', 'closed'] as const;
/** Direct (host/srflx candidates) or relayed through TURN (P2P-03). */
export const LINK_PATHS = ['direct', 'relayed'] as const;

/**
 * One contact's direct link as the contact header shows it ("Direct · 3 ms"): sent one contact
 * at a time as `links.changed`, on every transition and on a new round-trip measurement.
 */
export const linkStatusSchema = z.object({
  publicKey: publicKeyHexSchema,
  state: z.enum(LINK_STATES),
  /** Why it closed (`closed` only): a close reason of the peer protocol, e.g. `idle`. */
  reason: z.string().max(BRIDGE_LIMITS.reasonChars).nullable(),
  /** Known once the transport selected a candidate pair. */
  path: z.enum(LINK_PATHS).nullable(),
  /** The last heartbeat round trip in whole ms, once measured. */
  rttMs: z.number().int().nonnegative().max(3_600_000).nullable(),
});
export type LinkStatus = z.infer<typeof linkStatusSchema>;

/** Why a link to a contact was refused (P2P-02). One code today. */
export const SECURITY_WARNING_CODES = ['LINK_AUTH_FAILED'] as const;
export const securityWarningSchema = z.object({
  publicKey: publicKeyHexSchema,
  code: z.enum(SECURITY_WARNING_CODES),
  /** The core's sentence about what failed (for the details; the app words the warning itself). */
  reason: z.string().max(BRIDGE_LIMITS.reasonChars),
  /** When the core saw it. */
  at: epochMsSchema,
});
export type SecurityWarning = z.infer<typeof securityWarningSchema>;

/** The links that are not closed, and the security warnings of this run (they stay until dismissed). */
export const linkOverviewSchema = z.object({
  links: z.array(linkStatusSchema).max(BRIDGE_LIMITS.contacts),
  warnings: z.array(securityWarningSchema).max(BRIDGE_LIMITS.contacts),
});
export type LinkOverview = z.infer<typeof linkOverviewSchema>;

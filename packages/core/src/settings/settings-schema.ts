import { checkSignalingUrl, DEFAULT_SIGNALING_URL, ownStatusSchema, SIGNALING_URL_MAX_CHARS } from '@discordopus/protocol';
import { DEFAULT_VOICE_PREFERENCES, voicePreferencesSchema } from '@discordopus/protocol/calls';
import { z } from 'zod';
import { iceServerSchema } from '../ice/ice-server-schema';

/**
 * Only the shape is checked here (protocol's one set of URL rules): whether plain ws:// may go
 * to a remote host depends on `network.allowInsecureRemote` and is decided when connecting (INFR-04).
 */
const signalingUrl = z
  .string()
  .max(SIGNALING_URL_MAX_CHARS)
  .superRefine((text, ctx) => {
    const check = checkSignalingUrl(text, { allowInsecureRemote: true });
    if (!check.ok) ctx.addIssue({ code: 'custom', message: check.problem });
  });

/** Bounds of `links.idleCloseMs`: 30 s to 24 h. */
export const LINK_IDLE_CLOSE_MIN_MS = 30_000;
export const LINK_IDLE_CLOSE_MAX_MS = 24 * 60 * 60_000;

function setting<S extends z.ZodType>(schema: S, defaultValue: z.output<S>): { schema: S; default: z.output<S> } {
  return { schema, default: Object.freeze(defaultValue) as z.output<S> };
}

/**
 * Every setting, its schema and its default, defined once (CONVENTIONS 11). A key's value type
 * is inferred from its schema; nobody restates a default elsewhere.
 */
export const SETTINGS = {
  /** The status the user chose (PRES-01); persists across restarts. */
  'presence.status': setting(ownStatusSchema, 'online'),
  /** Signaling servers, tried in order (INFR-01). */
  'network.signalingUrls': setting(z.array(signalingUrl).min(1).max(5), [DEFAULT_SIGNALING_URL]),
  /** Allow plain ws:// to a non-loopback host (INFR-04 forbids it unless the user opts in). */
  'network.allowInsecureRemote': setting(z.boolean(), false),
  /** The user's own STUN/TURN servers, tried before the signaling server's (INFR-02). */
  'network.iceServers': setting(z.array(iceServerSchema).max(16), []),
  /** Relay-only: never reveal the user's IP address to a contact (P2P-03). */
  'network.relayOnly': setting(z.boolean(), false),
  /**
   * Close a direct link after this long without messages, files or calls either way (P2P-01);
   * it reopens on demand. Heartbeats do not count.
   */
  'links.idleCloseMs': setting(z.number().int().min(LINK_IDLE_CLOSE_MIN_MS).max(LINK_IDLE_CLOSE_MAX_MS), 5 * 60_000),
  'appearance.theme': setting(z.enum(['system', 'light', 'dark']), 'system'),
  /** Tell contacts when their messages have been read (MSG-01); off sends no read receipt at all. */
  'privacy.sendReadReceipts': setting(z.boolean(), true),
  /** Where accepted files go (FILE-03); null: ~/Downloads/DiscordOpus. */
  'files.downloadsDir': setting(z.string().min(1).max(4096).nullable(), null),
  /** Offers larger than this are refused on arrival (TOO_LARGE); default 4 GiB, at most 1 TiB. */
  'files.maxReceiveBytes': setting(z.number().int().min(0).max(2 ** 40), 4 * 1024 ** 3),
  /** Files from verified contacts up to this size are accepted without asking; 0: never. */
  'files.autoAcceptVerifiedMaxBytes': setting(z.number().int().min(0).max(2 ** 40), 0),
  /** Settings → Voice (VOICE-01): processing switches and the chosen devices (id and name). */
  'voice.preferences': setting(voicePreferencesSchema, DEFAULT_VOICE_PREFERENCES),
} as const;

export type SettingKey = keyof typeof SETTINGS;
export type SettingValue<K extends SettingKey> = z.output<(typeof SETTINGS)[K]['schema']>;
export type SettingsSnapshot = { [K in SettingKey]: SettingValue<K> };
export type SettingChange = { [K in SettingKey]: { key: K; value: SettingValue<K> } }[SettingKey];

export const SETTING_KEYS = Object.keys(SETTINGS) as SettingKey[];

export function isSettingKey(key: string): key is SettingKey {
  return Object.hasOwn(SETTINGS, key);
}

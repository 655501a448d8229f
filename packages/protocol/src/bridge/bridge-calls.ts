import { z } from 'zod';
import { voicePreferencesSchema } from '../calls/voice-preferences';
import {
  backupFileSchema,
  connectionInfoSchema,
  contactListSchema,
  contactSchema,
  identitySchema,
  linkOverviewSchema,
  linkStatusSchema,
  ownStatusSchemaForBridge,
  safetyNumberSchema,
  sessionSchema,
  settingsSchema,
} from './models';
import {
  backupBase64Schema,
  displayNameSchema,
  linkIdleCloseMsSchema,
  newPassphraseSchema,
  nicknameSchema,
  ownStatusValueSchema,
  passphraseSchema,
  publicKeyHexSchema,
  themeSchema,
  userIdInputSchema,
  BRIDGE_LIMITS,
} from './primitives';
import { messageCalls } from './message-calls';
import { anySignalingUrlSchema, signalingUrlProblem } from './signaling-url';
import { requestCalls } from './request-calls';
import { callCalls } from './call-calls';
import { downloadsDirSchema, fileBytesSettingSchema, fileCalls } from './file-calls';
import { requestNoteSchema } from '../requests/request-bodies';

const noParams = z.object({});
/** Calls that only do something answer `null`. */
const done = z.null();

/**
 * Every call the app can make to the core: `domain.verb` → params and result schemas. The
 * bridge validates params before a handler runs; the app validates results before use.
 */
export const bridgeCalls = {
  'session.state': { params: noParams, result: sessionSchema },

  /** IDEN-01: make a new identity in a new profile and unlock it. */
  'profile.create': {
    params: z.object({ displayName: displayNameSchema, passphrase: newPassphraseSchema }),
    result: identitySchema,
  },
  /** VAULT-02: a wrong passphrase fails with a clear code and changes nothing. */
  'profile.unlock': { params: z.object({ passphrase: passphraseSchema }), result: identitySchema },
  /** IDEN-03: restore a backup into a new profile, protected by a new passphrase. */
  'profile.restore': {
    params: z.object({
      backupBase64: backupBase64Schema,
      backupPassphrase: passphraseSchema,
      passphrase: newPassphraseSchema,
      displayName: displayNameSchema.optional(),
    }),
    result: identitySchema,
  },
  /** IDEN-03: a passphrase-protected backup file (the passphrase is asked again on purpose). */
  'profile.exportBackup': { params: z.object({ passphrase: passphraseSchema }), result: backupFileSchema },
  'profile.changePassphrase': {
    params: z.object({ current: passphraseSchema, next: newPassphraseSchema }),
    result: done,
  },

  'identity.get': { params: noParams, result: identitySchema },
  /** P2P-05: the own display name; the new signed card goes to every open link at once. */
  'profile.setDisplayName': { params: z.object({ displayName: displayNameSchema }), result: identitySchema },

  'contacts.list': { params: noParams, result: contactListSchema },
  /**
   * CONT-01: the core decodes the ID and answers USER_ID_* codes for a bad one (IDEN-02).
   * CONT-06: a sealed request with the optional note goes to them until they add the user back.
   */
  'contacts.add': {
    params: z.object({ userId: userIdInputSchema, nickname: nicknameSchema.optional(), note: requestNoteSchema.optional() }),
    result: contactSchema,
  },
  /** CONT-03 */
  'contacts.remove': { params: z.object({ publicKey: publicKeyHexSchema }), result: done },
  /** CONT-04: null clears the nickname. */
  'contacts.rename': {
    params: z.object({ publicKey: publicKeyHexSchema, nickname: nicknameSchema.nullable() }),
    result: contactSchema,
  },
  /** CONT-05 */
  'contacts.setVerified': {
    params: z.object({ publicKey: publicKeyHexSchema, verified: z.boolean() }),
    result: contactSchema,
  },
  'contacts.safetyNumber': { params: z.object({ publicKey: publicKeyHexSchema }), result: safetyNumberSchema },

  /** PRES-01 */
  'presence.setStatus': { params: z.object({ status: ownStatusValueSchema }), result: ownStatusSchemaForBridge },
  'presence.status': { params: noParams, result: ownStatusSchemaForBridge },

  /** P2P-01: the links not closed, and this run's security warnings (P2P-02). */
  'links.list': { params: noParams, result: linkOverviewSchema },
  /**
   * P2P-01: open (or keep) the link to a contact, e.g. when its conversation is selected; answers
   * its state now, then `links.changed` follows. CONTACT_NOT_FOUND for a stranger,
   * LINK_UNREACHABLE when the contact is not online (or we are not connected).
   * `intent` (PRES-01, P2P-01): 'auto' (the default) is an open the app makes by itself, e.g. on
   * selecting a conversation; it is refused with INVISIBLE while the own status is invisible, so
   * merely viewing a conversation never reveals the user. 'user' is an explicit act of the user
   * (an "open link" button) and opens even while invisible.
   */
  'links.open': { params: z.object({ publicKey: publicKeyHexSchema, intent: z.enum(['user', 'auto']).optional() }), result: linkStatusSchema },
  /** P2P-02: the user read a contact's security warning; it is not listed again this run. */
  'links.dismissWarning': { params: z.object({ publicKey: publicKeyHexSchema }), result: done },

  'connection.state': { params: noParams, result: connectionInfoSchema },
  /** Skip the rest of a back-off and try now. */
  'connection.retryNow': { params: noParams, result: done },

  'settings.get': { params: noParams, result: settingsSchema },
  /** UI-02: new signaling URLs apply by reconnecting. Answers the settings now in force. */
  'settings.set': {
    params: z
      .object({
        signalingUrls: z.array(anySignalingUrlSchema).min(1).max(BRIDGE_LIMITS.signalingUrls).optional(),
        theme: themeSchema.optional(),
        /** Allow plain ws:// to a server on the local network (INFR-04 opt-in, issue 15 item 13). */
        allowInsecureRemote: z.boolean().optional(),
        /** P2P-03: links only through a TURN relay; open links that are not relayed close. */
        relayOnly: z.boolean().optional(),
        /** P2P-01: close a direct link unused this long (open links follow at once). */
        linkIdleCloseMs: linkIdleCloseMsSchema.optional(),
        /** MSG-01: tell contacts when their messages were read. */
        sendReadReceipts: z.boolean().optional(),
        /** FILE-03: where accepted files go; null: back to the default (~/Downloads/DiscordOpus). */
        downloadsDir: downloadsDirSchema.nullable().optional(),
        /** FILE-03: offers larger than this are refused on arrival. */
        maxReceiveBytes: fileBytesSettingSchema.optional(),
        /** FILE-01: files from verified contacts up to this size are accepted without asking; 0: never. */
        autoAcceptVerifiedMaxBytes: fileBytesSettingSchema.optional(),
        /** VOICE-01: Settings → Voice, remembered across launches. */
        voice: voicePreferencesSchema.optional(),
      })
      // ws:// to another machine only in a call that also says `allowInsecureRemote: true` (the core checks again).
      .superRefine((params, ctx) => {
        for (const [index, url] of (params.signalingUrls ?? []).entries()) {
          const problem = signalingUrlProblem(url, { allowInsecureRemote: params.allowInsecureRemote === true });
          if (problem !== null) ctx.addIssue({ code: 'custom', path: ['signalingUrls', index], message: problem });
        }
      }),
    result: settingsSchema,
  },

  /** MSG-01, MSG-03..05: direct messages (message-calls.ts). */
  ...messageCalls,
  ...requestCalls,
  /** VOICE-01..04: call frames to the contact's direct link (call-calls.ts). */
  ...callCalls,
  /** FILE-01..03: uploads from the window, accept/decline/cancel, the list, "Open folder" (file-calls.ts). */
  ...fileCalls,
} as const;

export type BridgeCalls = typeof bridgeCalls;
export type BridgeMethod = keyof BridgeCalls;
export const BRIDGE_METHODS = Object.keys(bridgeCalls) as BridgeMethod[];
/** Params as a caller writes them. */
export type BridgeParamsInput<M extends BridgeMethod> = z.input<BridgeCalls[M]['params']>;
/** Params as a handler receives them (validated). */
export type BridgeParams<M extends BridgeMethod> = z.output<BridgeCalls[M]['params']>;
export type BridgeResult<M extends BridgeMethod> = z.output<BridgeCalls[M]['result']>;

export function isBridgeMethod(name: string): name is BridgeMethod {
  return Object.hasOwn(bridgeCalls, name);
}

/**
 * What the core side implements: one async function per call, typed from the contract.
 * Throw a DiscordOpusError to answer with its code; anything else becomes INTERNAL. The app
 * shows the message of any error next to what the user did, and recognises WRONG_PASSPHRASE
 * (unlock, export, change passphrase) to word it itself.
 */
export type BridgeHandlers = {
  [M in BridgeMethod]: (params: BridgeParams<M>) => Promise<BridgeResult<M>>;
};

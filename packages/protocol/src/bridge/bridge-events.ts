import type { z } from 'zod';
import {
  connectionInfoSchema,
  contactListSchema,
  linkStatusSchema,
  ownStatusSchemaForBridge,
  presenceChangeSchema,
  securityWarningSchema,
  sessionSchema,
  settingsSchema,
} from './models';
import { messageEvents } from './message-events';
import { requestEvents } from './request-calls';
import { callEvents } from './call-calls';
import { fileEvents } from './file-calls';

/**
 * Every event the core pushes to the app: `domain.verb` → payload schema. What the core side
 * should send: `connection.changed` on every transition of the signaling connection (with
 * `nextRetryAt` while backing off); `contacts.changed` with the whole list after any change to
 * it; `presence.changed` when a contact's status or last-seen time changes; `status.changed`
 * when the user's own status changes; `settings.changed` after settings change;
 * `session.changed` when the profile is unlocked or locked other than by a call of this window;
 * `links.changed` for one contact's link on every transition and new round trip (never lists);
 * `security.warning` when a link to a contact failed authentication (P2P-02).
 * The app also applies the results of its own calls, so an event that repeats one is harmless.
 */
export const bridgeEvents = {
  /** UI-01, INFR-05: the connection indicator. */
  'connection.changed': connectionInfoSchema,
  /** CONT-01..05: the whole list after any change. */
  'contacts.changed': contactListSchema,
  /** PRES-02: one contact's status changed. */
  'presence.changed': presenceChangeSchema,
  /** PRES-01: the user's own status changed (also from another window). */
  'status.changed': ownStatusSchemaForBridge,
  'settings.changed': settingsSchema,
  /** The profile was created, unlocked or locked outside the current call. */
  'session.changed': sessionSchema,
  /** P2P-01, P2P-03: one contact's link changed state, path or round-trip time. */
  'links.changed': linkStatusSchema,
  /** P2P-02: someone may be interfering with the link to a contact; the link was refused. */
  'security.warning': securityWarningSchema,
  /** MSG-01, MSG-03, MSG-04: direct messages (message-events.ts). */
  ...messageEvents,
  /** CONT-06: incoming requests and blocked users, whole, after any change. */
  ...requestEvents,
  /** VOICE-01..04: call frames from the contact's direct link (call-calls.ts). */
  ...callEvents,
  /** FILE-01..03: offers, progress and state changes of file transfers (file-calls.ts). */
  ...fileEvents,
} as const;

export type BridgeEvents = typeof bridgeEvents;
export type BridgeEventName = keyof BridgeEvents;
export const BRIDGE_EVENT_NAMES = Object.keys(bridgeEvents) as BridgeEventName[];
export type BridgeEventPayload<E extends BridgeEventName> = z.output<BridgeEvents[E]>;

/** How a bridge side announces an event: the core session to the window, a fake core to its test. */
export type BridgeEmit = <E extends BridgeEventName>(event: E, payload: BridgeEventPayload<E>) => void;

export function isBridgeEventName(name: string): name is BridgeEventName {
  return Object.hasOwn(bridgeEvents, name);
}

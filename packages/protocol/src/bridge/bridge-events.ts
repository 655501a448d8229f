import type { z } from 'zod';
import { connectionInfoSchema, contactListSchema, ownStatusSchemaForBridge, presenceChangeSchema, sessionSchema, settingsSchema } from './models';

/** Every event the core pushes to the app: `domain.verb` → payload schema. */
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
} as const;

export type BridgeEvents = typeof bridgeEvents;
export type BridgeEventName = keyof BridgeEvents;
export const BRIDGE_EVENT_NAMES = Object.keys(bridgeEvents) as BridgeEventName[];
export type BridgeEventPayload<E extends BridgeEventName> = z.output<BridgeEvents[E]>;

export function isBridgeEventName(name: string): name is BridgeEventName {
  return Object.hasOwn(bridgeEvents, name);
}

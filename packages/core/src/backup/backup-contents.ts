import { bytesToHex, decodeUserId, publicKeyProblem } from '@discordopus/protocol';
import { z } from 'zod';
import type { RequestStore } from '../contact-requests/request-store';
import type { ContactsStore } from '../contacts/contacts-store';
import type { Logger } from '../logging/logger';
import { isSettingKey, SETTING_KEYS, SETTINGS } from '../settings/settings-schema';
import type { SettingsStore } from '../settings/settings-store';

/** At most this many contacts travel in one backup (the file size limit applies too). */
export const BACKUP_MAX_CONTACTS = 5_000;

const b64 = (max: number) => z.string().max(max).regex(/^[A-Za-z0-9_-]*$/, 'base64url');

const backedUpContactSchema = z
  .object({
    userId: z.string().max(128),
    nickname: z.string().max(512).nullable(),
    verified: z.boolean(),
    addedAt: z.number().int().nonnegative().max(8.64e15),
  })
  .strict();
/** Version 3 adds whether the contact was known to list the user (CONT-06: not "pending"). */
const backedUpContactV3Schema = backedUpContactSchema.extend({ addedBack: z.boolean() }).strict();
export type BackedUpContact = z.infer<typeof backedUpContactSchema> & { addedBack?: boolean };

/** CONT-06: a blocked key (version 3), with the name it was blocked under. */
const backedUpBlockedSchema = z
  .object({ userId: z.string().max(128), label: z.string().min(1).max(128), blockedAt: z.number().int().nonnegative().max(8.64e15) })
  .strict();
export type BackedUpBlocked = z.infer<typeof backedUpBlockedSchema>;

/** Version 1: the identity alone. */
export const contentsV1Schema = z.object({ seed: b64(64), displayName: z.string().max(256) }).strict();

/**
 * Version 2 (issue 15, item 2): the identity, the contact list (nicknames, verifications, the
 * order they were added) and the settings the user changed from their defaults. Setting values
 * are checked against the settings schema when they are restored, not here, so that a backup
 * from a newer DiscordOpus with a setting this one does not know still restores.
 */
export const contentsV2Schema = z
  .object({
    seed: b64(64),
    displayName: z.string().max(256),
    contacts: z.array(backedUpContactSchema).max(BACKUP_MAX_CONTACTS),
    settings: z.record(z.string().max(64), z.unknown()).refine((r) => Object.keys(r).length <= 64, 'at most 64 settings'),
  })
  .strict();

/** Version 3 (CONT-06): version 2 plus each contact's `addedBack` and the blocked users. */
export const contentsV3Schema = contentsV2Schema
  .extend({
    contacts: z.array(backedUpContactV3Schema).max(BACKUP_MAX_CONTACTS),
    blocked: z.array(backedUpBlockedSchema).max(BACKUP_MAX_CONTACTS),
  })
  .strict();

export interface ProfileData {
  contacts: BackedUpContact[];
  /** Blocked users (empty from a version 1 or 2 backup). */
  blocked: BackedUpBlocked[];
  /** Only the settings that differ from their defaults (a newer version's keys may be among them). */
  settings: Record<string, unknown>;
}

/** What a backup carries besides the identity, read from an open vault. */
export function collectProfileData(contacts: ContactsStore, settings: SettingsStore, requests: RequestStore): ProfileData {
  const changed: Record<string, unknown> = {};
  for (const key of SETTING_KEYS) {
    const value = settings.get(key);
    if (JSON.stringify(value) !== JSON.stringify(SETTINGS[key].default)) changed[key] = value;
  }
  return {
    contacts: contacts.list().map((c) => ({ userId: c.userId, nickname: c.nickname, verified: c.verified, addedAt: c.addedAt, addedBack: !c.pending })),
    blocked: requests.blocked().map((b) => ({ userId: b.userId, label: b.label, blockedAt: b.blockedAt })),
    settings: changed,
  };
}

/**
 * Put a backup's contacts and settings into a freshly restored vault. An entry this version
 * refuses (a setting it does not know or whose value it does not accept, a contact whose ID or
 * nickname no longer passes) is skipped and counted, never fatal: the identity matters most.
 */
export function applyProfileData(
  data: ProfileData,
  stores: { contacts: ContactsStore; settings: SettingsStore; requests: RequestStore; logger: Logger },
): { contacts: number; settings: number; blocked: number; skipped: number } {
  let skipped = 0;
  let contactCount = 0;
  let settingCount = 0;
  let blockedCount = 0;
  stores.contacts.batch(() => {
    for (const entry of data.blocked) {
      try {
        const key = decodeUserId(entry.userId);
        if (publicKeyProblem(key) !== null) throw new Error('unusable key');
        stores.requests.block(bytesToHex(key), entry.label, entry.blockedAt);
        blockedCount++;
      } catch {
        skipped++;
        stores.logger.warn({}, 'a blocked user from the backup was skipped');
      }
    }
    for (const contact of data.contacts) {
      try {
        const added = stores.contacts.add(contact.userId, { nickname: contact.nickname, addedAt: contact.addedAt });
        if (contact.verified) stores.contacts.setVerified(added.publicKey, true);
        if (contact.addedBack === true) stores.contacts.markAddedBack(added.publicKey, 'backup');
        contactCount++;
      } catch (err) {
        skipped++;
        stores.logger.warn({ code: (err as { code?: unknown }).code }, 'a contact from the backup was skipped');
      }
    }
    for (const [key, value] of Object.entries(data.settings)) {
      if (!isSettingKey(key)) {
        skipped++;
        stores.logger.warn({ key }, 'a setting from the backup is unknown here and was skipped');
        continue;
      }
      try {
        stores.settings.set(key, value as never);
        settingCount++;
      } catch {
        skipped++;
        stores.logger.warn({ key }, 'a setting from the backup was invalid and was skipped');
      }
    }
  });
  return { contacts: contactCount, settings: settingCount, blocked: blockedCount, skipped };
}

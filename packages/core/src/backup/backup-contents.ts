import { z } from 'zod';
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
export type BackedUpContact = z.infer<typeof backedUpContactSchema>;

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

export interface ProfileData {
  contacts: BackedUpContact[];
  /** Only the settings that differ from their defaults (a newer version's keys may be among them). */
  settings: Record<string, unknown>;
}

/** What a backup carries besides the identity, read from an open vault. */
export function collectProfileData(contacts: ContactsStore, settings: SettingsStore): ProfileData {
  const changed: Record<string, unknown> = {};
  for (const key of SETTING_KEYS) {
    const value = settings.get(key);
    if (JSON.stringify(value) !== JSON.stringify(SETTINGS[key].default)) changed[key] = value;
  }
  return {
    contacts: contacts.list().map((c) => ({ userId: c.userId, nickname: c.nickname, verified: c.verified, addedAt: c.addedAt })),
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
  stores: { contacts: ContactsStore; settings: SettingsStore; logger: Logger },
): { contacts: number; settings: number; skipped: number } {
  let skipped = 0;
  let contactCount = 0;
  let settingCount = 0;
  stores.contacts.batch(() => {
    for (const contact of data.contacts) {
      try {
        const added = stores.contacts.add(contact.userId, { nickname: contact.nickname, addedAt: contact.addedAt });
        if (contact.verified) stores.contacts.setVerified(added.publicKey, true);
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
  return { contacts: contactCount, settings: settingCount, skipped };
}

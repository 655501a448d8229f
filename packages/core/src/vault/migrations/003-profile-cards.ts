import type { Migration } from './migration';

/**
 * Profile cards (P2P-05). Contacts: the name a contact gave themselves, the time they set it
 * and their signature over both (purpose `profileCard`), so a stored card can be checked again
 * and only a newer one replaces it; the three are set together or not at all, and a local
 * nickname still overrides the name in display. Identity: when the user's own display name was
 * last changed (the creation time until then), so the card the user sends stays the same until
 * the name changes.
 */
export const migration003: Migration = {
  version: 3,
  name: 'profile-cards',
  up(db) {
    db.exec(`
      ALTER TABLE contacts ADD COLUMN display_name TEXT
        CHECK (display_name IS NULL OR length(display_name) BETWEEN 1 AND 64);
      ALTER TABLE contacts ADD COLUMN display_name_updated_at INTEGER
        CHECK ((display_name_updated_at IS NULL) = (display_name IS NULL));
      ALTER TABLE contacts ADD COLUMN display_name_signature BLOB
        CHECK ((display_name_signature IS NULL) = (display_name IS NULL)
               AND (display_name_signature IS NULL OR length(display_name_signature) = 64));

      ALTER TABLE identity ADD COLUMN display_name_updated_at INTEGER NOT NULL DEFAULT 0;
      UPDATE identity SET display_name_updated_at = created_at;
    `);
  },
};

import type { Migration } from './migration';

/**
 * Contacts' signed display names (P2P-05): the name a contact gave themselves, the time they
 * set it and their signature over both (purpose `profileCard`), so a stored card can be checked
 * again and only a newer one replaces it. The three are set together or not at all. A local
 * nickname still overrides the name in display.
 */
export const migration003: Migration = {
  version: 3,
  name: 'contact-profile-cards',
  up(db) {
    db.exec(`
      ALTER TABLE contacts ADD COLUMN display_name TEXT
        CHECK (display_name IS NULL OR length(display_name) BETWEEN 1 AND 64);
      ALTER TABLE contacts ADD COLUMN display_name_updated_at INTEGER
        CHECK ((display_name_updated_at IS NULL) = (display_name IS NULL));
      ALTER TABLE contacts ADD COLUMN display_name_signature BLOB
        CHECK ((display_name_signature IS NULL) = (display_name IS NULL)
               AND (display_name_signature IS NULL OR length(display_name_signature) = 64));
    `);
  },
};

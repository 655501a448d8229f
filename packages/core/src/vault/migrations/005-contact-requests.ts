import type { Migration } from './migration';

/**
 * Contact requests and blocking (CONT-06).
 *
 * - `contacts.added_back_at`: when this side first learned that the contact lists the user too
 *   (the evidence rule is ContactsStore.markAddedBack); null = "pending". For contacts from
 *   before this migration the same rule applies to what the vault already holds: seen with a
 *   visible status (counts from its last-seen time), a verified profile card (only ever sent over
 *   an authenticated link; counts from `added_at`), or a message received from them (only over a
 *   link; counts from the first one).
 * - `outgoing_requests`: the request (with its note) this side keeps sending, paced, to a
 *   contact who has not added the user back; deleted when they do or the contact goes.
 * - `incoming_requests`: someone asks to be added: their signed display name (a profile card,
 *   kept with its signature so it can be checked again) and note; `ignored` hides it.
 * - `blocked_keys`: keys whose requests, links and messages are refused, with the name shown
 *   when they were blocked (for Settings → Blocked users).
 */
export const migration005: Migration = {
  version: 5,
  name: 'contact-requests',
  up(db) {
    db.exec(`
      ALTER TABLE contacts ADD COLUMN added_back_at INTEGER;
      UPDATE contacts SET added_back_at = last_seen_at WHERE last_seen_at IS NOT NULL;
      UPDATE contacts SET added_back_at = added_at WHERE added_back_at IS NULL AND display_name IS NOT NULL;
      UPDATE contacts SET added_back_at = (
          SELECT min(m.received_at) FROM messages m JOIN conversations c ON c.id = m.conversation_id
          WHERE c.peer_key = contacts.public_key AND m.outgoing = 0)
        WHERE added_back_at IS NULL;

      CREATE TABLE outgoing_requests (
        public_key   BLOB    PRIMARY KEY CHECK (length(public_key) = 32),
        note         TEXT    NOT NULL CHECK (length(note) <= 280),
        created_at   INTEGER NOT NULL,
        last_sent_at INTEGER
      ) STRICT;

      CREATE TABLE incoming_requests (
        public_key              BLOB    PRIMARY KEY CHECK (length(public_key) = 32),
        display_name            TEXT    NOT NULL CHECK (length(display_name) BETWEEN 1 AND 64),
        display_name_updated_at INTEGER NOT NULL,
        display_name_signature  BLOB    NOT NULL CHECK (length(display_name_signature) = 64),
        note                    TEXT    NOT NULL CHECK (length(note) <= 280),
        received_at             INTEGER NOT NULL,
        ignored                 INTEGER NOT NULL DEFAULT 0 CHECK (ignored IN (0, 1))
      ) STRICT;

      CREATE TABLE blocked_keys (
        public_key BLOB    PRIMARY KEY CHECK (length(public_key) = 32),
        label      TEXT    NOT NULL CHECK (length(label) BETWEEN 1 AND 128),
        blocked_at INTEGER NOT NULL
      ) STRICT;
    `);
  },
};

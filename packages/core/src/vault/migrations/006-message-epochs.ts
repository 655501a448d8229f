import type { Migration } from './migration';

/**
 * Numbering epochs of direct messages (MSG-02, PROTOCOL.md §7.3): a side that lost its history
 * (the same identity restored from a backup into an empty profile) numbers its changes from 1
 * again; the epoch tells the other side that this is a new stream, not resends of the old one.
 *
 * - `own_epoch`: 8 random bytes naming this side's numbering stream in the conversation.
 * - `peer_epoch`: the peer's stream that `received_seq` counts in (null: not told yet, as
 *   before this migration).
 * - `peer_seq_base`: the peer's changes are stored under `seq` = wire number + base, so a new
 *   stream of the peer continues the local numbering (the peer's rows stay unique and ordered).
 */
export const migration006: Migration = {
  version: 6,
  name: 'message-epochs',
  up(db) {
    db.exec(`
      ALTER TABLE conversations ADD COLUMN own_epoch BLOB CHECK (own_epoch IS NULL OR length(own_epoch) = 8);
      ALTER TABLE conversations ADD COLUMN peer_epoch BLOB CHECK (peer_epoch IS NULL OR length(peer_epoch) = 8);
      ALTER TABLE conversations ADD COLUMN peer_seq_base INTEGER NOT NULL DEFAULT 0;
      UPDATE conversations SET own_epoch = randomblob(8);
    `);
  },
};

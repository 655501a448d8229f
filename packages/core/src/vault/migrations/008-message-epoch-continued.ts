import type { Migration } from './migration';

/**
 * An explicit flag for numbering epochs that continue an older stream (MSG-02, PROTOCOL.md §7.3,
 * review finding 2): `own_epoch_continued` = 1 when this side's epoch was given to a conversation
 * whose changes may already have reached the peer without any epoch (made by migration 006, or
 * before its announcement was sent reliably). The resume then carries `continued: true`, and a
 * peer that holds the stream without an epoch keeps its numbering; without the flag a new epoch
 * is a new stream (a restore from a backup), stored after what the peer holds.
 * Conversations created from now on announce their epoch before their first change: 0.
 */
export const migration008: Migration = {
  version: 8,
  name: 'message-epoch-continued',
  up(db) {
    db.exec(`
      ALTER TABLE conversations ADD COLUMN own_epoch_continued INTEGER NOT NULL DEFAULT 0 CHECK (own_epoch_continued IN (0, 1));
      UPDATE conversations SET own_epoch_continued = 1 WHERE own_seq > 0;
    `);
  },
};

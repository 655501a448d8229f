import type { PeerStatus, ServerMessageOf, VisibleStatus } from '@discordopus/protocol';
import type { PresenceRecord } from '../backplane/backplane';

/** A directory entry: the replicated record, with its contacts as a set for O(1) checks. */
export interface DirectoryEntry {
  readonly record: PresenceRecord;
  readonly contacts: ReadonlySet<string>;
}

export type Directory = ReadonlyMap<string, DirectoryEntry>;

/**
 * What `viewer` may know of `subject` (PRES-03): their status only if each lists the other and
 * the subject is not invisible; otherwise `offline`, which is also what a stranger, a one-sided
 * contact and an invisible user look like. Every presence message goes through this function.
 */
export function visibleStatus(directory: Directory, subject: string, viewer: string): PeerStatus {
  if (subject === viewer) return 'offline';
  const s = directory.get(subject);
  const v = directory.get(viewer);
  if (!s || !v) return 'offline';
  if (s.record.status === 'invisible') return 'offline';
  if (!s.contacts.has(viewer) || !v.contacts.has(subject)) return 'offline';
  return s.record.status;
}

/** The snapshot `viewer` gets: its visible mutual contacts. */
export function presenceSnapshot(directory: Directory, viewer: string): ServerMessageOf<'presence.snapshot'> {
  const contacts: { publicKey: string; status: VisibleStatus }[] = [];
  for (const subject of directory.get(viewer)?.contacts ?? []) {
    const status = visibleStatus(directory, subject, viewer);
    if (status !== 'offline') contacts.push({ publicKey: subject, status });
  }
  return { type: 'presence.snapshot', contacts };
}

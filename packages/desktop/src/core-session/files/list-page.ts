import { FILE_BRIDGE_LIMITS, type FileTransferView } from '@discordopus/protocol/bridge';

/**
 * A `files.list` page that fits in one bridge frame (FILE-01): the views in order while their JSON
 * stays within `budget` bytes (always at least one). `more` says whether older transfers follow,
 * either after the SQL page or because the page stopped early; the cursor is then the last view.
 */
export function boundedPage(
  views: readonly FileTransferView[],
  moreInStore: boolean,
  budget: number = FILE_BRIDGE_LIMITS.listPageBytes,
): { transfers: FileTransferView[]; olderCursor: string | null } {
  const transfers: FileTransferView[] = [];
  let bytes = 0;
  for (const view of views) {
    const size = Buffer.byteLength(JSON.stringify(view)) + 1;
    if (transfers.length > 0 && bytes + size > budget) break;
    transfers.push(view);
    bytes += size;
  }
  const more = moreInStore || transfers.length < views.length;
  return { transfers, olderCursor: more ? (transfers.at(-1)?.id ?? null) : null };
}

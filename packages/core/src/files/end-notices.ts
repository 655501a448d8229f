import type { FileFrame } from '@discordopus/protocol/files';
import type { FileTransferRecord } from './file-store';
import { toWireCode } from './wire-code';

/**
 * The end frames the contact must hear again for transfers that ended lately (FILE-01): an end
 * told while no link was open was lost, so they are said again whenever a link opens; the
 * receiver of an end it already knows ignores it. A sender's own complete, or a decline it
 * received, needs nothing.
 */
export function endNoticesOf(ended: readonly FileTransferRecord[]): FileFrame[] {
  const frames: FileFrame[] = [];
  for (const r of ended) {
    if (r.state === 'complete' && r.direction === 'in') frames.push({ type: 'file.complete', id: r.id, sha256: r.sha256 });
    else if (r.state === 'declined' && r.direction === 'in') frames.push({ type: 'file.decline', id: r.id });
    else if (r.state === 'cancelled') frames.push({ type: 'file.cancel', id: r.id });
    else if (r.state === 'failed') frames.push({ type: 'file.error', id: r.id, code: toWireCode(r.failure?.code ?? 'INTERNAL'), message: (r.failure?.message ?? '').slice(0, 300) });
  }
  return frames;
}

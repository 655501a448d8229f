import type { FileInterruption, FileProgress, FileTransferView } from '@discordopus/protocol/bridge';
import { failureText, formatBytes, formatSpeed, formatTimeLeft, percentOf } from './file-format';

/** Who did it, in words: "you" or the contact's name. */
function whom(by: FileTransferView['by'], contactName: string): string | null {
  if (by === 'local') return 'you';
  if (by === 'peer') return contactName;
  return null;
}

/** FILE-01: the one-line state of a transfer that is not moving bytes (the progress bar shows those). */
export function stateText(transfer: FileTransferView, contactName: string): string {
  const { state, direction } = transfer;
  const by = whom(transfer.by, contactName);
  switch (state) {
    case 'offered':
      return direction === 'out' ? `Waiting for ${contactName} to accept` : `${contactName} wants to send you this file`;
    case 'accepted':
      return direction === 'out' ? `${contactName} accepted — starting…` : 'Accepted — starting…';
    case 'complete':
      return direction === 'out' ? 'Complete — sent' : 'Complete';
    case 'declined':
      return by === null ? 'Declined' : `Declined by ${by}`;
    case 'cancelled':
      return by === null ? 'Cancelled' : `Cancelled by ${by}`;
    case 'failed':
      return failureText(transfer.failure);
    default: {
      const never: never = state;
      return never;
    }
  }
}

/** FILE-02: what a paused transfer says: why it stopped, and that nobody has to do anything. */
function pausedText(contactName: string): string {
  return `Paused — waiting for ${contactName} to reconnect; it continues by itself`;
}

/**
 * FILE-01: bytes moving: a progress bar (role progressbar with its values, for screen readers)
 * and "42 % · 12 MB of 30 MB · 3.2 MB/s · 6 s left" on both sides. FILE-02: while the link is
 * down (`interruption`), the bar stands where the transfer will continue from, with no speed and
 * no time left, and the item says it is paused until the next progress.
 */
export function TransferProgress({
  transfer,
  progress,
  interruption,
  contactName,
}: {
  transfer: FileTransferView;
  progress: FileProgress | undefined;
  interruption: FileInterruption | undefined;
  contactName: string;
}) {
  const paused = interruption !== undefined;
  const bytes = paused ? interruption.bytes : (progress?.bytes ?? transfer.bytesDone);
  const percent = percentOf(bytes, transfer.size);
  const speed = paused ? null : formatSpeed(progress?.bytesPerSecond ?? null);
  const left = paused ? null : formatTimeLeft(progress?.secondsLeft ?? null);
  const parts = [`${percent} %`, `${formatBytes(bytes)} of ${formatBytes(transfer.size)}`, speed, left].filter((p) => p !== null);
  const verb = transfer.direction === 'out' ? 'Sending' : 'Receiving';
  return (
    <div className="flex flex-col gap-1" data-testid="file-progress-block" data-paused={paused ? 'true' : undefined}>
      <div
        role="progressbar"
        aria-label={`${verb} ${transfer.name}`}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={percent}
        aria-valuetext={paused ? `Paused, ${parts.join(', ')}` : parts.join(', ')}
        data-testid="file-progress"
        data-percent={percent}
        className="h-1.5 w-full overflow-hidden rounded-full bg-input"
      >
        <div className={`h-full rounded-full transition-[width] ${paused ? 'bg-tone-warn' : 'bg-accent'}`} style={{ width: `${percent}%` }} />
      </div>
      <span data-testid="file-progress-text" className="text-xs text-muted">
        {parts.join(' · ')}
      </span>
      {paused && (
        <span role="status" data-testid="file-paused" className="text-xs text-tone-warn">
          {pausedText(contactName)}
        </span>
      )}
    </div>
  );
}

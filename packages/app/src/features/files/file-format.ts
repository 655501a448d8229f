/**
 * Words and numbers a person reads about a file transfer (FILE-01): sizes, speed, time left,
 * and what each failure code means. Pure, so the component tests and the timeline share them.
 */

const UNITS = ['bytes', 'KB', 'MB', 'GB', 'TB'] as const;

/** "0 bytes", "1 byte", "999 bytes", "1.5 KB", "12 MB", "4.0 GB" (binary steps, one decimal under 10). */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes < 0) return '—';
  if (bytes < 1024) return bytes === 1 ? '1 byte' : `${bytes} bytes`;
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  const shown = value < 10 ? value.toFixed(1) : Math.round(value).toString();
  return `${shown} ${UNITS[unit]}`;
}

/** "3.2 MB/s"; nothing while the speed is not known yet. */
export function formatSpeed(bytesPerSecond: number | null): string | null {
  if (bytesPerSecond === null || !Number.isFinite(bytesPerSecond) || bytesPerSecond <= 0) return null;
  return `${formatBytes(Math.round(bytesPerSecond))}/s`;
}

/** "5 s left", "2 min left", "1 h 5 min left"; nothing while it is not known. */
export function formatTimeLeft(seconds: number | null): string | null {
  if (seconds === null || !Number.isFinite(seconds) || seconds < 0) return null;
  const s = Math.ceil(seconds);
  if (s < 60) return `${s} s left`;
  const minutes = Math.ceil(s / 60);
  if (minutes < 60) return `${minutes} min left`;
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  return rest === 0 ? `${hours} h left` : `${hours} h ${rest} min left`;
}

/** Whole percent done, 0..100 (a 0-byte file is done at once). */
export function percentOf(bytes: number, size: number): number {
  if (size <= 0) return 100;
  return Math.max(0, Math.min(100, Math.floor((bytes / size) * 100)));
}

/** Failure codes of the core's file engine (FileTransferError), in words a person understands. */
const FAILURE_WORDS: Record<string, string> = {
  HASH_MISMATCH: 'the received file did not match what was sent, so it was deleted',
  DISK_FULL: 'the disk is full',
  NOT_WRITABLE: 'the downloads folder cannot be written to',
  TOO_LARGE: 'the file is larger than allowed',
  SOURCE_MISSING: 'the file to send is no longer there',
  SOURCE_CHANGED: 'the file changed while it was being sent',
  CHANNEL_FAILED: 'the connection failed',
  CHANNEL_CLOSED: 'the connection closed',
  PROTOCOL: 'the other side sent something unexpected',
};

/** "Failed: <reason>": the core's sentence when it has one, else words for the code. */
export function failureText(failure: { code: string; message: string } | null): string {
  if (failure === null) return 'Failed';
  const message = failure.message.trim();
  if (message !== '') return `Failed: ${message}`;
  return `Failed: ${FAILURE_WORDS[failure.code] ?? 'something went wrong'}`;
}

/** Whether a MIME type is an image the window can show and make a preview of. */
export function isPreviewableImage(mime: string): boolean {
  return mime === 'image/jpeg' || mime === 'image/png' || mime === 'image/webp' || mime === 'image/gif' || mime === 'image/bmp';
}

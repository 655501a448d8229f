/** What arrives on a transfer's channel: text (a control frame) or bytes (a chunk of the file). */
export type FileChannelMessage = string | Uint8Array;

/**
 * One data channel of one transfer, as the engine needs it (FILE-01). Implemented over
 * node-datachannel by `NdcFileChannel`; the link layer will hand these out per contact.
 * `send` returning false means "queued in the buffer", not an error: the engine watches
 * `bufferedAmount()` for back-pressure. A message above the channel's limit (256 KiB) throws.
 * `send` copies the bytes before it returns (libdatachannel does): the sender reuses one buffer.
 */
export interface FileChannel {
  readonly label: string;
  send(data: FileChannelMessage): boolean;
  bufferedAmount(): number;
  setBufferedAmountLowThreshold(bytes: number): void;
  /** One listener per event: a later call replaces the earlier one. */
  onBufferedAmountLow(cb: () => void): void;
  onMessage(cb: (data: FileChannelMessage) => void): void;
  onClosed(cb: () => void): void;
  isOpen(): boolean;
  close(): void;
}

/** Opens a new channel with `label` to a contact; resolves once it is open. */
export type OpenFileChannel = (peer: string, label: string) => Promise<FileChannel>;

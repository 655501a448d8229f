import type { ServerMessage, VisibleStatus } from '@discordopus/protocol';

/** What the hub needs of an authenticated connection on this node. */
export interface HubSession {
  readonly sessionId: string;
  readonly publicKey: string;
  /** What this client was last told of each contact; absent means offline. */
  readonly seen: Map<string, VisibleStatus>;
  /**
   * `frame`, when given, is `message` already encoded (`encodeMessage`, as bytes): a fan-out
   * encodes once for all its recipients.
   */
  send(message: ServerMessage, frame?: Uint8Array): void;
  /** Close the socket with a protocol close code; `reason` is for metrics and logs only. */
  close(code: number, reason: string): void;
}

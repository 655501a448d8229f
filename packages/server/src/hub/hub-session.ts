import type { ServerMessage, VisibleStatus } from '@discordopus/protocol';

/** What the hub needs of an authenticated connection on this node. */
export interface HubSession {
  readonly sessionId: string;
  readonly publicKey: string;
  /** What this client was last told of each contact; absent means offline. */
  readonly seen: Map<string, VisibleStatus>;
  send(message: ServerMessage): void;
  /** Close the socket with a protocol close code; `reason` is for metrics and logs only. */
  close(code: number, reason: string): void;
}

/** What the bridge client needs of a connection: text frames both ways, and its life cycle. */
export interface BridgeTransport {
  send(text: string): void;
  close(): void;
}

export interface BridgeTransportListeners {
  onOpen(): void;
  onMessage(text: string): void;
  /** The connection ended (or never opened). */
  onClose(): void;
}

/** Opens a transport; injected so tests use an in-memory core instead of a socket. */
export type BridgeConnector = (listeners: BridgeTransportListeners) => BridgeTransport;

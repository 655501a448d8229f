import { type Backplane, type BackplaneHandlers, type BackplaneMessage, decodeEnvelope } from './backplane';

/**
 * An in-process bus between MemoryBackplane nodes. A single server uses one of its own; tests
 * put several nodes on one bus, and can cut a node off and heal it to exercise resync.
 */
export class MemoryBus {
  readonly #nodes = new Map<string, BackplaneHandlers>();
  readonly #cut = new Set<string>();
  /** Deliveries to a held node wait here, in order, until `release`. */
  readonly #held = new Map<string, (() => void)[]>();

  join(nodeId: string, handlers: BackplaneHandlers): void {
    this.#nodes.set(nodeId, handlers);
  }

  leave(nodeId: string): void {
    this.#nodes.delete(nodeId);
  }

  /** Messages from and to the node are lost until `heal`. */
  cut(nodeId: string): void {
    this.#cut.add(nodeId);
  }

  heal(nodeId: string): void {
    if (!this.#cut.delete(nodeId)) return;
    // Like a Redis reconnect: the node learns it was cut off and resynchronises.
    queueMicrotask(() => this.#nodes.get(nodeId)?.onResync());
  }

  /** Failure injection: delay every delivery to the node (a slow link) until `release`. */
  hold(nodeId: string): void {
    if (!this.#held.has(nodeId)) this.#held.set(nodeId, []);
  }

  /** Deliver what was held for the node, in the order it was sent, then deliver normally. */
  release(nodeId: string): void {
    const queue = this.#held.get(nodeId) ?? [];
    this.#held.delete(nodeId);
    for (const deliver of queue) deliver();
  }

  publish(origin: string, target: string | null, message: BackplaneMessage): void {
    if (this.#cut.has(origin)) return;
    // Serialised like the Redis backplane, so both carry exactly the same data.
    const frame = JSON.stringify({ origin, message });
    setImmediate(() => {
      for (const [nodeId, handlers] of this.#nodes) {
        if (nodeId === origin || this.#cut.has(nodeId) || (target !== null && nodeId !== target)) continue;
        const deliver = (): void => {
          const envelope = decodeEnvelope(frame);
          if (envelope) handlers.onMessage(envelope);
        };
        const held = this.#held.get(nodeId);
        if (held) held.push(deliver);
        else deliver();
      }
    });
  }
}

export class MemoryBackplane implements Backplane {
  constructor(
    readonly nodeId: string,
    private readonly bus: MemoryBus = new MemoryBus(),
  ) {}

  async start(handlers: BackplaneHandlers): Promise<void> {
    this.bus.join(this.nodeId, handlers);
  }

  broadcast(message: BackplaneMessage): void {
    this.bus.publish(this.nodeId, null, message);
  }

  sendTo(nodeId: string, message: BackplaneMessage): void {
    this.bus.publish(this.nodeId, nodeId, message);
  }

  async close(): Promise<void> {
    this.bus.leave(this.nodeId);
  }
}

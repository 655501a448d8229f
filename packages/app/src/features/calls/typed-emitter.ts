/** A minimal typed event emitter: one event map per emitter, single-object payloads (CONVENTIONS 6). */
export type EventMap = Record<string, (payload: never) => void>;

export class TypedEmitter<Events extends EventMap> {
  private readonly listeners = new Map<keyof Events, Set<Events[keyof Events]>>();

  /** Subscribe; returns the function that unsubscribes. */
  on<K extends keyof Events>(event: K, listener: Events[K]): () => void {
    let set = this.listeners.get(event);
    if (set === undefined) {
      set = new Set();
      this.listeners.set(event, set);
    }
    set.add(listener);
    return () => set.delete(listener);
  }

  protected emit<K extends keyof Events>(event: K, payload: Parameters<Events[K]>[0]): void {
    for (const listener of [...(this.listeners.get(event) ?? [])]) (listener as (p: typeof payload) => void)(payload);
  }
}

import type { CallClock } from './call-types';

/** One-shot timers by name on an injected clock: starting a name again replaces it. */
export class NamedTimers<Name extends string> {
  private readonly handles = new Map<Name, unknown>();

  constructor(private readonly clock: CallClock) {}

  start(name: Name, ms: number, fn: () => void): void {
    this.clear(name);
    this.handles.set(
      name,
      this.clock.setTimeout(() => {
        this.handles.delete(name);
        fn();
      }, ms),
    );
  }

  has(name: Name): boolean {
    return this.handles.has(name);
  }

  clear(name: Name): void {
    if (!this.handles.has(name)) return;
    this.clock.clearTimeout(this.handles.get(name));
    this.handles.delete(name);
  }

  clearAll(): void {
    for (const name of [...this.handles.keys()]) this.clear(name);
  }

  /** Resolves after `ms` on the clock (not cancellable; for short bounded retries). */
  delay(ms: number): Promise<void> {
    return new Promise((resolve) => this.clock.setTimeout(() => resolve(), ms));
  }
}

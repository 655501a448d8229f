import type { Socket } from 'node:net';

/**
 * Coalesces what one turn of the event loop writes to a socket into one system call. `ws`
 * writes every frame on its own (`writev` per message); a relay burst or a presence fan-out
 * sends many frames to the same socket in one turn, and those writes were most of the server's
 * CPU (bench:relay profile: `writev` 45 % of the busy time). `hold()` corks the socket until the
 * current turn's synchronous work and microtasks are done (`process.nextTick`), so the frames go
 * out together; nothing waits for a timer.
 */
export class WriteBatch {
  readonly #socket: Socket;
  #held = false;
  readonly #release = (): void => {
    this.#held = false;
    this.#socket.uncork();
  };

  constructor(socket: Socket) {
    this.#socket = socket;
  }

  /** Hold this turn's writes; they are flushed together right after it. Idempotent per turn. */
  hold(): void {
    if (this.#held) return;
    this.#held = true;
    this.#socket.cork();
    process.nextTick(this.#release);
  }
}

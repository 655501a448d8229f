import { encodeMessageFrame, type MessageFrame } from '@discordopus/protocol/messages';
import type { Clock } from '../signaling/clock';
import type { MessageLink, MessageService } from './message-service';

/** A clock that moves only when told: timers fire in `advance`, in time order. */
export class ManualClock implements Clock {
  #now = 1_700_000_000_000;
  #mono = 0;
  #next = 1;
  readonly #timers = new Map<number, { at: number; fn: () => void; owner: object | null }>();

  now(): number {
    return this.#now;
  }
  monotonic(): number {
    return this.#mono;
  }
  setTimeout(fn: () => void, ms: number, owner: object | null = null): unknown {
    const id = this.#next++;
    this.#timers.set(id, { at: this.#mono + ms, fn, owner });
    return id;
  }

  /** The same time for one process: `kill()` drops its timers, as a crash would. */
  view(): Clock & { kill(): void } {
    const owner = {};
    return {
      now: () => this.now(),
      monotonic: () => this.monotonic(),
      setTimeout: (fn, ms) => this.setTimeout(fn, ms, owner),
      clearTimeout: (h) => this.clearTimeout(h),
      kill: () => {
        for (const [id, t] of this.#timers) if (t.owner === owner) this.#timers.delete(id);
      },
    };
  }
  clearTimeout(handle: unknown): void {
    this.#timers.delete(handle as number);
  }
  get pendingTimers(): number {
    return this.#timers.size;
  }
  advance(ms: number): void {
    const end = this.#mono + ms;
    for (;;) {
      const due = [...this.#timers].filter(([, t]) => t.at <= end).sort((a, b) => a[1].at - b[1].at || a[0] - b[0])[0];
      if (!due) break;
      this.#timers.delete(due[0]);
      this.#now += due[1].at - this.#mono;
      this.#mono = due[1].at;
      due[1].fn();
    }
    this.#now += end - this.#mono;
    this.#mono = end;
  }
}

/** Runs the services' deferred stores when the harness says so. */
export class TaskQueue {
  readonly tasks: (() => void)[] = [];
  readonly schedule = (fn: () => void): void => {
    this.tasks.push(fn);
  };
  runOne(): boolean {
    const task = this.tasks.shift();
    task?.();
    return task !== undefined;
  }
}

export interface Faults {
  /** Probabilities per frame sent. */
  drop?: number;
  duplicate?: number;
  /** Deliver later than a frame sent after it. */
  reorder?: number;
  /**
   * As on the real data channel (ordered, reliable until it dies), a `message.resume` is never
   * dropped or overtaken by a later frame of its sender: the random drops and reorders hit the
   * other frames only. An epoch announcement (§7.3) lost or overtaken inside one live link is a
   * case the protocol does not cover: the receiver would count the first changes of the new
   * stream before the stream.
   */
  keepResumes?: boolean;
  /** Drop every frame for which this returns true. */
  dropIf?: (from: 'a' | 'b', frame: MessageFrame) => boolean;
  /** `send` returns false (rate limit, full buffer); the link reports "drained" later. */
  refuse?: number;
  /** `send` returns false for every frame for which this returns true (then "drained" later). */
  refuseIf?: (from: 'a' | 'b', frame: MessageFrame) => boolean;
}

/** One end of the pair; read again at every use, so a restarted peer's new service is used. */
export interface Side {
  readonly key: string;
  readonly service: MessageService;
}

interface Wire {
  from: 'a' | 'b';
  text: string;
  resume?: boolean;
}

/**
 * Two services joined by an in-process link that can drop, duplicate, delay, reorder and refuse
 * frames (the failure-injection stand-in for the LinkManager's data channel, which is not on
 * this branch). Frames cross as JSON text, as on the real wire. Nothing happens until `step`.
 */
export class LinkPair {
  readonly #random: () => number;
  faults: Faults;
  #queue: Wire[] = [];
  #open = false;
  #generation = 0;
  #drains: ('a' | 'b')[] = [];
  sides: { a: Side; b: Side };
  /** Frames handed to the wire, by type. */
  readonly sent = new Map<string, number>();

  constructor(a: Side, b: Side, options: { random: () => number; faults?: Faults }) {
    this.sides = { a, b };
    this.#random = options.random;
    this.faults = options.faults ?? {};
  }

  get isOpen(): boolean {
    return this.#open;
  }

  get queued(): number {
    return this.#queue.length + this.#drains.length;
  }

  open(): void {
    if (this.#open) this.close();
    this.#open = true;
    const generation = ++this.#generation;
    const { a, b } = this.sides;
    a.service.handleLinkOpen(b.key, this.#link('a', generation));
    b.service.handleLinkOpen(a.key, this.#link('b', generation));
  }

  /** The link dies: frames in flight are lost, both sides are told. */
  close(): void {
    if (!this.#open) return;
    this.#open = false;
    this.#queue = [];
    this.#drains = [];
    this.sides.a.service.handleLinkClosed(this.sides.b.key);
    this.sides.b.service.handleLinkClosed(this.sides.a.key);
  }

  /** Only one side learns that the link died (the other keeps a stale link until it reopens). */
  forget(): void {
    this.#open = false;
    this.#queue = [];
    this.#drains = [];
    this.#generation++;
  }

  /** Deliver one frame (or one "drained" notice); false when nothing is in flight. */
  step(): boolean {
    if (this.#drains.length > 0 && (this.#queue.length === 0 || this.#random() < 0.2)) {
      const side = this.#drains.shift()!;
      const other = side === 'a' ? this.sides.b : this.sides.a;
      this.sides[side].service.handleLinkDrained(other.key);
      return true;
    }
    const wire = this.#queue.shift();
    if (!wire) return false;
    const to = wire.from === 'a' ? this.sides.b : this.sides.a;
    const from = wire.from === 'a' ? this.sides.a : this.sides.b;
    to.service.handleFrame(from.key, wire.text);
    return true;
  }

  /** Inject raw bytes as if `from` had sent them. */
  inject(from: 'a' | 'b', raw: unknown): void {
    const to = from === 'a' ? this.sides.b : this.sides.a;
    to.service.handleFrame(this.sides[from].key, raw);
  }

  #link(from: 'a' | 'b', generation: number): MessageLink {
    return {
      send: (frame: MessageFrame): boolean => {
        if (!this.#open || generation !== this.#generation) return false;
        const f = this.faults;
        if ((f.refuse && this.#random() < f.refuse) || f.refuseIf?.(from, frame)) {
          if (!this.#drains.includes(from)) this.#drains.push(from);
          return false;
        }
        this.sent.set(frame.type, (this.sent.get(frame.type) ?? 0) + 1);
        const wire: Wire = { from, text: encodeMessageFrame(frame), resume: frame.type === 'message.resume' };
        const kept = f.keepResumes === true && frame.type === 'message.resume';
        if ((f.drop && !kept && this.#random() < f.drop) || f.dropIf?.(from, frame)) return true;
        this.#enqueue(wire, kept);
        if (f.duplicate && this.#random() < f.duplicate) this.#enqueue(wire, kept);
        return true;
      },
    };
  }

  #enqueue(wire: Wire, inOrder = false): void {
    // With keepResumes, a frame may only move ahead of frames queued after its sender's last resume.
    const floor = this.faults.keepResumes ? this.#queue.findLastIndex((w) => w.from === wire.from && w.resume === true) + 1 : 0;
    if (!inOrder && this.faults.reorder && this.#queue.length > floor && this.#random() < this.faults.reorder) {
      this.#queue.splice(floor + Math.floor(this.#random() * (this.#queue.length - floor)), 0, wire);
    } else {
      this.#queue.push(wire);
    }
  }
}

/**
 * Run both peers' deferred work and the link until nothing is in flight, in an order chosen by
 * `random`; then let `retransmitMs` pass (firing the retransmit timers) and go again, until
 * `done()` or `rounds` run out. Returns whether `done()` held.
 */
export function runUntil(
  pair: LinkPair,
  queues: () => TaskQueue[],
  clock: ManualClock,
  options: { random: () => number; retransmitMs: number; done: () => boolean; rounds?: number },
): boolean {
  for (let round = 0; round < (options.rounds ?? 50); round++) {
    for (let guard = 0; guard < 1_000_000; guard++) {
      const ready = queues().filter((q) => q.tasks.length > 0);
      const pickTask = ready.length > 0 && (pair.queued === 0 || options.random() < 0.3);
      if (pickTask) ready[Math.floor(options.random() * ready.length)]!.runOne();
      else if (!pair.step()) break;
    }
    if (options.done()) return true;
    clock.advance(options.retransmitMs);
  }
  return options.done();
}

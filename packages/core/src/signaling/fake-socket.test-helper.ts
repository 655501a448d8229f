import { bytesToBase64url, type ServerMessage, type ServerMessageOf } from '@discordopus/protocol';
import type { SignalingSocket } from './signaling-socket';

/** Session limits as a default server announces them. */
export const TEST_SESSION_LIMITS: ServerMessageOf<'auth.welcome'>['limits'] = {
  maxFrameBytes: 200_000,
  maxContacts: 5000,
  maxSignalPayloadChars: 32_768,
  maxContactRequestPayloadChars: 4096,
  relayPerSecond: 20,
  relayBurst: 40,
  presencePerSecond: 2,
  presenceBurst: 10,
  contactRequestPerMinute: 5,
};

/** An `auth.welcome` for `publicKey`, with overridable fields. */
export function welcomeMessage(publicKey: Uint8Array, fields: Partial<ServerMessageOf<'auth.welcome'>> = {}): ServerMessage {
  return {
    type: 'auth.welcome',
    sessionId: 's1',
    publicKey: bytesToBase64url(publicKey),
    iceServers: [{ urls: ['stun:127.0.0.1:3478'] }],
    iceExpiresAtMs: null,
    heartbeatIntervalMs: 20_000,
    limits: TEST_SESSION_LIMITS,
    ...fields,
  };
}

type Listener = (event: never) => void;

/** A scriptable in-memory socket for unit tests of the signaling client. */
export class FakeSocket implements SignalingSocket {
  readyState = 0;
  readonly sent: unknown[] = [];
  closedWith: number | null = null;
  readonly #listeners = new Map<string, Listener[]>();

  constructor(readonly url: string) {}

  addEventListener(type: string, listener: Listener): void {
    this.#listeners.set(type, [...(this.#listeners.get(type) ?? []), listener]);
  }

  send(data: string): void {
    this.sent.push(JSON.parse(data));
  }

  /** Like `ws`: closing is asynchronous and ends with a 'close' event on this socket. */
  close(code = 1000): void {
    if (this.closedWith !== null) return;
    this.closedWith = code;
    this.readyState = 2;
    queueMicrotask(() => {
      this.readyState = 3;
      this.#fire('close', { code });
    });
  }

  // ---- driven by the test ----
  open(): void {
    this.readyState = 1;
    this.#fire('open', {});
  }

  receive(message: object): void {
    this.#fire('message', { data: JSON.stringify(message) });
  }

  receiveRaw(data: unknown): void {
    this.#fire('message', { data });
  }

  serverClose(code: number, reason = ''): void {
    this.readyState = 3;
    this.#fire('error', {});
    this.#fire('close', { code, reason });
  }

  lastSent(): Record<string, unknown> | undefined {
    return this.sent.at(-1) as Record<string, unknown> | undefined;
  }

  #fire(type: string, event: object): void {
    for (const l of this.#listeners.get(type) ?? []) (l as (e: object) => void)(event);
  }
}

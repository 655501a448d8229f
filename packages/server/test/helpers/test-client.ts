import { ed25519 } from '@noble/curves/ed25519.js';
import {
  authProofBody,
  bytesToBase64url,
  type ClientMessage,
  type OwnStatus,
  parseServerFrame,
  PROTOCOL_VERSION,
  type ServerMessage,
  type ServerMessageOf,
  type ServerMessageType,
  type SigningPurpose,
  signingInput,
} from '@discordopus/protocol';
import { WebSocket } from 'ws';

export interface TestKey {
  seed: Uint8Array;
  publicKey: Uint8Array;
  /** base64url, as on the wire. */
  id: string;
}

export function makeKey(seed?: Uint8Array): TestKey {
  const s = seed ?? ed25519.utils.randomSecretKey();
  const publicKey = ed25519.getPublicKey(s);
  return { seed: s, publicKey, id: bytesToBase64url(publicKey) };
}

export interface ProofOptions {
  key?: TestKey;
  /** Sign with this key while claiming `key` (wrong-key test). */
  signer?: TestKey;
  serverId?: string;
  nonce?: string;
  timestampMs?: number;
  purpose?: SigningPurpose;
  protocolVersion?: number;
  status?: OwnStatus;
}

export interface Closed {
  code: number;
  reason: string;
}

/**
 * A raw protocol client for tests: a real WebSocket, every server frame parsed and kept, and
 * helpers to wait for a message or the close. No reconnects, no leniency: it sees what the
 * server sends.
 */
export class TestClient {
  readonly ws: WebSocket;
  readonly key: TestKey;
  readonly received: ServerMessage[] = [];
  /** Raw text of every frame, to check what never appears (e.g. "invisible"). */
  readonly rawFrames: string[] = [];
  /** Frames from the server that do not parse: always a bug. */
  readonly invalidFrames: string[] = [];
  readonly closed: Promise<Closed>;
  hello!: ServerMessageOf<'auth.hello'>;
  #cursor = 0;
  #waiters: (() => void)[] = [];

  private constructor(url: string, key: TestKey) {
    this.key = key;
    this.ws = new WebSocket(url, { maxPayload: 8 * 1024 * 1024 });
    this.ws.on('message', (data, isBinary) => {
      const text = data.toString();
      // Every server frame is a text frame (PROTOCOL.md); a binary one is invalid whatever it holds.
      if (isBinary) {
        this.invalidFrames.push(`binary frame: ${text}`);
        this.#wake();
        return;
      }
      this.rawFrames.push(text);
      const parsed = parseServerFrame(text);
      if (parsed.ok) this.received.push(parsed.message);
      else this.invalidFrames.push(text);
      this.#wake();
    });
    this.ws.on('error', () => undefined);
    this.closed = new Promise((resolve) => this.ws.once('close', (code, reason) => {
      this.#wake();
      resolve({ code, reason: reason.toString() });
    }));
  }

  #wake(): void {
    const waiters = this.#waiters;
    this.#waiters = [];
    for (const w of waiters) w();
  }

  /** Open a socket and wait for the server's hello. */
  static async connect(url: string, key: TestKey = makeKey()): Promise<TestClient> {
    const client = new TestClient(url, key);
    client.hello = await client.next('auth.hello');
    return client;
  }

  /** Connect and log in; resolves with the welcome. */
  static async login(url: string, key: TestKey = makeKey(), status?: OwnStatus): Promise<TestClient> {
    const client = await TestClient.connect(url, key);
    client.send(client.proof(status === undefined ? {} : { status }));
    await client.next('auth.welcome');
    return client;
  }

  proof(options: ProofOptions = {}): ClientMessageOf<'auth.proof'> {
    const key = options.key ?? this.key;
    const signer = options.signer ?? key;
    const timestampMs = options.timestampMs ?? Date.now();
    const body = authProofBody({
      protocolVersion: options.protocolVersion ?? PROTOCOL_VERSION,
      serverId: options.serverId ?? this.hello.serverId,
      nonce: Buffer.from(options.nonce ?? this.hello.nonce, 'base64url'),
      timestampMs,
      clientPublicKey: key.publicKey,
    });
    const signature = ed25519.sign(signingInput(options.purpose ?? 'auth', body), signer.seed);
    const proof: ClientMessageOf<'auth.proof'> = {
      type: 'auth.proof',
      protocolVersion: options.protocolVersion ?? PROTOCOL_VERSION,
      publicKey: key.id,
      timestampMs,
      signature: bytesToBase64url(signature),
    };
    if (options.status !== undefined) proof.status = options.status;
    return proof;
  }

  send(message: ClientMessage | Record<string, unknown>): void {
    this.sendRaw(JSON.stringify(message));
  }

  sendRaw(data: string | Uint8Array): void {
    if (this.ws.readyState === WebSocket.OPEN) this.ws.send(data);
  }

  /** The next message not yet consumed, of `type` if given (earlier ones of other types are skipped). */
  async next<T extends ServerMessageType>(type?: T, timeoutMs = 5_000): Promise<ServerMessageOf<T>> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      while (this.#cursor < this.received.length) {
        const m = this.received[this.#cursor++] as ServerMessage;
        if (type === undefined || m.type === type) return m as ServerMessageOf<T>;
      }
      if (this.ws.readyState === WebSocket.CLOSED) throw new Error(`socket closed while waiting for ${type ?? 'a message'}`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timed out waiting for ${type ?? 'a message'}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.#waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  /** Round trip through the server: everything it sent this socket before the pong has arrived. */
  async sync(): Promise<void> {
    const t = Math.floor(Math.random() * 1e12);
    this.send({ type: 'heartbeat.ping', t });
    await this.nextMatching('heartbeat.pong', (pong) => pong.t === t);
  }

  /** Messages of a type received so far (consumed or not). */
  all<T extends ServerMessageType>(type: T): ServerMessageOf<T>[] {
    return this.received.filter((m): m is ServerMessageOf<T> => m.type === type);
  }

  /**
   * What this client may believe now, folding every snapshot and update received so far the
   * way a real client does: contact key → visible status (offline contacts are absent).
   */
  view(): Map<string, string> {
    const view = new Map<string, string>();
    for (const m of this.received) {
      if (m.type === 'presence.snapshot') {
        view.clear();
        for (const e of m.contacts) view.set(e.publicKey, e.status);
      } else if (m.type === 'presence.update') {
        if (m.status === 'offline') view.delete(m.publicKey);
        else view.set(m.publicKey, m.status);
      }
    }
    return view;
  }

  /** Mark everything received so far as consumed: `next()` waits for what comes after. */
  skipReceived(): void {
    this.#cursor = this.received.length;
  }

  /** Wait (round trips, no sleeps) until `check(view())` holds. */
  async untilView(check: (view: Map<string, string>) => boolean, what: string, timeoutMs = 10_000): Promise<void> {
    await eventually(async () => {
      await this.sync();
      return check(this.view());
    }, what, timeoutMs);
  }

  async setContacts(contacts: TestKey[] | string[]): Promise<ServerMessageOf<'presence.snapshot'>> {
    this.send({ type: 'contacts.set', contacts: contacts.map((c) => (typeof c === 'string' ? c : c.id)) });
    return this.next('presence.snapshot');
  }

  /** Close politely; a socket that does not finish the handshake in a second is cut. */
  async close(): Promise<Closed> {
    if (this.ws.readyState !== WebSocket.CLOSED) this.ws.close(1000);
    const timer = setTimeout(() => this.ws.terminate(), 1_000);
    const closed = await this.closed;
    clearTimeout(timer);
    return closed;
  }

  /** Stop reading from the socket (a client that hangs, or a slow consumer). */
  stopReading(): void {
    (this.ws as unknown as { _socket: { pause(): void } })._socket.pause();
  }

  /** Wait for a message of `type` that satisfies `match`, skipping others. */
  async nextMatching<T extends ServerMessageType>(type: T, match: (m: ServerMessageOf<T>) => boolean, timeoutMs = 5_000): Promise<ServerMessageOf<T>> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const m = await this.next(type, Math.max(1, deadline - Date.now()));
      if (match(m)) return m;
    }
  }
}

type ClientMessageOf<T extends ClientMessage['type']> = Extract<ClientMessage, { type: T }>;

/** Wait until `check()` holds, polling; for state that changes across sockets or processes. */
export async function eventually(check: () => boolean | Promise<boolean>, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

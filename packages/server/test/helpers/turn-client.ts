import { createHash, createHmac, randomBytes } from 'node:crypto';
import { createSocket } from 'node:dgram';

/**
 * Just enough STUN/TURN (RFC 8489, RFC 8656) to ask a TURN server for an allocation over UDP
 * with long-term credentials: Allocate → 401 with REALM and NONCE → Allocate again with
 * USERNAME, REALM, NONCE and MESSAGE-INTEGRITY (HMAC-SHA1 keyed with
 * MD5(username:realm:password)). For tests against a real coturn on loopback.
 */

const MAGIC_COOKIE = 0x2112a442;
const ALLOCATE_REQUEST = 0x0003;
const ALLOCATE_SUCCESS = 0x0103;
const ALLOCATE_ERROR = 0x0113;
const BINDING_REQUEST = 0x0001;
const ATTR = {
  USERNAME: 0x0006,
  MESSAGE_INTEGRITY: 0x0008,
  ERROR_CODE: 0x0009,
  REALM: 0x0014,
  NONCE: 0x0015,
  XOR_RELAYED_ADDRESS: 0x0016,
  REQUESTED_TRANSPORT: 0x0019,
  LIFETIME: 0x000d,
} as const;

interface StunMessage {
  type: number;
  transactionId: Buffer;
  attrs: Map<number, Buffer>;
}

function attribute(type: number, value: Buffer): Buffer {
  const padded = Buffer.alloc(4 + Math.ceil(value.length / 4) * 4);
  padded.writeUInt16BE(type, 0);
  padded.writeUInt16BE(value.length, 2);
  value.copy(padded, 4);
  return padded;
}

function encode(type: number, transactionId: Buffer, attrs: Buffer[], integrityKey: Buffer | null): Buffer {
  let body = Buffer.concat(attrs);
  const header = (length: number): Buffer => {
    const h = Buffer.alloc(20);
    h.writeUInt16BE(type, 0);
    h.writeUInt16BE(length, 2);
    h.writeUInt32BE(MAGIC_COOKIE, 4);
    transactionId.copy(h, 8);
    return h;
  };
  if (integrityKey) {
    // The length covers the MESSAGE-INTEGRITY attribute (24 bytes) that follows the signed part.
    const signed = Buffer.concat([header(body.length + 24), body]);
    const mac = createHmac('sha1', integrityKey).update(signed).digest();
    body = Buffer.concat([body, attribute(ATTR.MESSAGE_INTEGRITY, mac)]);
  }
  return Buffer.concat([header(body.length), body]);
}

function decode(buf: Buffer): StunMessage | null {
  if (buf.length < 20 || buf.readUInt32BE(4) !== MAGIC_COOKIE) return null;
  const attrs = new Map<number, Buffer>();
  const end = Math.min(buf.length, 20 + buf.readUInt16BE(2));
  for (let off = 20; off + 4 <= end; ) {
    const t = buf.readUInt16BE(off);
    const len = buf.readUInt16BE(off + 2);
    attrs.set(t, buf.subarray(off + 4, off + 4 + len));
    off += 4 + Math.ceil(len / 4) * 4;
  }
  return { type: buf.readUInt16BE(0), transactionId: buf.subarray(8, 20), attrs };
}

/** One UDP socket (one 5-tuple, which coturn binds its nonce to) for a whole exchange. */
class StunSocket {
  readonly #socket = createSocket('udp4');
  readonly #pending = new Map<string, (m: StunMessage) => void>();

  constructor(
    private readonly host: string,
    private readonly port: number,
  ) {
    this.#socket.on('message', (data) => {
      const m = decode(data);
      if (m) this.#pending.get(m.transactionId.toString('hex'))?.(m);
    });
    this.#socket.on('error', () => undefined);
  }

  transact(message: Buffer, transactionId: Buffer, timeoutMs: number): Promise<StunMessage> {
    const key = transactionId.toString('hex');
    return new Promise<StunMessage>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#pending.delete(key);
        reject(new Error('no answer from the TURN server'));
      }, timeoutMs);
      this.#pending.set(key, (m) => {
        clearTimeout(timer);
        this.#pending.delete(key);
        resolve(m);
      });
      this.#socket.send(message, this.port, this.host);
    });
  }

  close(): void {
    this.#socket.close();
  }
}

/** True when something answers STUN Binding requests on host:port (server ready). */
export async function stunAnswers(host: string, port: number): Promise<boolean> {
  const id = randomBytes(12);
  const socket = new StunSocket(host, port);
  try {
    await socket.transact(encode(BINDING_REQUEST, id, [], null), id, 300);
    return true;
  } catch {
    return false;
  } finally {
    socket.close();
  }
}

export type AllocateResult =
  | { ok: true; relayedAddress: { address: string; port: number }; lifetimeSeconds: number }
  | { ok: false; errorCode: number; reason: string };

function errorOf(m: StunMessage): { errorCode: number; reason: string } {
  const e = m.attrs.get(ATTR.ERROR_CODE);
  if (!e || e.length < 4) return { errorCode: 0, reason: 'no ERROR-CODE' };
  return { errorCode: (e[2] as number) * 100 + (e[3] as number), reason: e.subarray(4).toString('utf8') };
}

/** Ask for a UDP relay allocation with a TURN REST username/password. */
export async function allocate(host: string, port: number, username: string, password: string, timeoutMs = 3_000): Promise<AllocateResult> {
  const socket = new StunSocket(host, port);
  try {
    return await allocateOn(socket, username, password, timeoutMs);
  } finally {
    socket.close();
  }
}

async function allocateOn(socket: StunSocket, username: string, password: string, timeoutMs: number): Promise<AllocateResult> {
  const transport = attribute(ATTR.REQUESTED_TRANSPORT, Buffer.from([17, 0, 0, 0]));
  const firstId = randomBytes(12);
  const challenge = await socket.transact(encode(ALLOCATE_REQUEST, firstId, [transport], null), firstId, timeoutMs);
  if (challenge.type !== ALLOCATE_ERROR || errorOf(challenge).errorCode !== 401) {
    throw new Error(`expected a 401 challenge, got type 0x${challenge.type.toString(16)}`);
  }
  const realm = challenge.attrs.get(ATTR.REALM);
  const nonce = challenge.attrs.get(ATTR.NONCE);
  if (!realm || !nonce) throw new Error('the challenge lacks REALM or NONCE');

  const key = createHash('md5').update(`${username}:${realm.toString('utf8')}:${password}`).digest();
  const id = randomBytes(12);
  const request = encode(
    ALLOCATE_REQUEST,
    id,
    [transport, attribute(ATTR.USERNAME, Buffer.from(username, 'utf8')), attribute(ATTR.REALM, realm), attribute(ATTR.NONCE, nonce)],
    key,
  );
  const answer = await socket.transact(request, id, timeoutMs);
  if (answer.type === ALLOCATE_SUCCESS) {
    const xor = answer.attrs.get(ATTR.XOR_RELAYED_ADDRESS);
    if (!xor) throw new Error('success without XOR-RELAYED-ADDRESS');
    const relayPort = xor.readUInt16BE(2) ^ (MAGIC_COOKIE >>> 16);
    const ip = (xor.readUInt32BE(4) ^ MAGIC_COOKIE) >>> 0;
    const address = [ip >>> 24, (ip >>> 16) & 0xff, (ip >>> 8) & 0xff, ip & 0xff].join('.');
    const lifetime = answer.attrs.get(ATTR.LIFETIME);
    return { ok: true, relayedAddress: { address, port: relayPort }, lifetimeSeconds: lifetime ? lifetime.readUInt32BE(0) : 0 };
  }
  return { ok: false, ...errorOf(answer) };
}

import { createHash, createPrivateKey, createPublicKey, type KeyObject, sign } from 'node:crypto';

/** DER PKCS#8 header of an Ed25519 private key (RFC 8410); the 32-byte seed follows. */
const PKCS8_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');

export interface BenchKey {
  privateKey: KeyObject;
  /** base64url of the raw 32-byte public key, as on the wire. */
  id: string;
}

/** Deterministic key of client `index`: every load-generator process derives the same keys. */
export function benchKey(index: number, namespace = 'discordopus-bench'): BenchKey {
  const seed = createHash('sha256').update(`${namespace}/${index}`).digest();
  const privateKey = createPrivateKey({ key: Buffer.concat([PKCS8_PREFIX, seed]), format: 'der', type: 'pkcs8' });
  const spki = createPublicKey(privateKey).export({ format: 'der', type: 'spki' });
  return { privateKey, id: Buffer.from(spki.subarray(spki.length - 32)).toString('base64url') };
}

/** Keys derived on demand and cached (a process needs its own clients' keys and their neighbours'). */
export class KeyRing {
  readonly #cache = new Map<number, BenchKey>();
  constructor(private readonly namespace = 'discordopus-bench') {}

  get(index: number): BenchKey {
    let key = this.#cache.get(index);
    if (!key) {
      key = benchKey(index, this.namespace);
      this.#cache.set(index, key);
    }
    return key;
  }
}

export function signEd25519(key: BenchKey, message: Uint8Array): string {
  return sign(null, message, key.privateKey).toString('base64url');
}

/**
 * The capacity population's contact graph: client i lists i±1 … i±(degree/2) on a ring of n,
 * so every contact is mutual and everyone has exactly `degree` of them.
 */
export function ringContacts(index: number, n: number, degree: number): number[] {
  const out: number[] = [];
  for (let d = 1; d <= degree / 2; d++) out.push((index + d) % n, (index - d + n) % n);
  return out;
}

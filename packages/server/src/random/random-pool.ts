import { randomFillSync } from 'node:crypto';

/**
 * Cryptographically random bytes, drawn from the system CSPRNG in blocks of `blockBytes` and
 * handed out in order, each byte once (a login takes a 32-byte nonce and a 16-byte session id:
 * one system call per ~80 logins instead of two per login, bench:auth-rate profile). Every call
 * returns a fresh copy.
 */
export function randomPool(blockBytes = 4096, fill: (buf: Uint8Array) => void = (b) => randomFillSync(b)): (size: number) => Uint8Array {
  const block = new Uint8Array(blockBytes);
  let offset = blockBytes;
  return (size: number): Uint8Array => {
    if (size > blockBytes) {
      const out = new Uint8Array(size);
      fill(out);
      return out;
    }
    if (offset + size > blockBytes) {
      fill(block);
      offset = 0;
    }
    const out = block.slice(offset, offset + size);
    offset += size;
    return out;
  };
}

/**
 * Canonical byte layout for everything that gets signed.
 *
 * Every field is either fixed-width big-endian (u8, u16, u64) or a 4-byte big-endian length
 * followed by its bytes. Nothing is ever joined as text, so no two different field lists can
 * produce the same bytes.
 */
const textEncoder = new TextEncoder();

export class CanonicalWriter {
  private readonly chunks: Uint8Array[] = [];
  private length = 0;

  u8(value: number): this {
    if (!Number.isInteger(value) || value < 0 || value > 0xff) throw new RangeError(`u8 out of range: ${value}`);
    return this.push(Uint8Array.of(value));
  }

  u16(value: number): this {
    if (!Number.isInteger(value) || value < 0 || value > 0xffff) throw new RangeError(`u16 out of range: ${value}`);
    return this.push(Uint8Array.of(value >>> 8, value & 0xff));
  }

  /** Unsigned 64-bit; timestamps in milliseconds fit easily in a safe integer. */
  u64(value: number | bigint): this {
    const big = BigInt(value);
    if (big < 0n || big > 0xffff_ffff_ffff_ffffn) throw new RangeError(`u64 out of range: ${value}`);
    const out = new Uint8Array(8);
    new DataView(out.buffer).setBigUint64(0, big, false);
    return this.push(out);
  }

  /** Length-prefixed bytes: u32 length, then the bytes. */
  bytes(value: Uint8Array): this {
    if (value.length > 0xffff_ffff) throw new RangeError('field too long');
    const len = new Uint8Array(4);
    new DataView(len.buffer).setUint32(0, value.length, false);
    this.push(len);
    return this.push(value);
  }

  /** Length-prefixed UTF-8 text. */
  text(value: string): this {
    return this.bytes(textEncoder.encode(value));
  }

  finish(): Uint8Array {
    const out = new Uint8Array(this.length);
    let offset = 0;
    for (const chunk of this.chunks) {
      out.set(chunk, offset);
      offset += chunk.length;
    }
    return out;
  }

  private push(chunk: Uint8Array): this {
    this.chunks.push(chunk);
    this.length += chunk.length;
    return this;
  }
}

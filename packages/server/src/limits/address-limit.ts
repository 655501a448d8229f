/**
 * Open sockets per remote address (INFR-01): one machine must not be able to take every slot of
 * a node. IPv4 addresses (and IPv4-mapped IPv6 ones) count one by one; IPv6 addresses count per
 * /64, the block one subscriber usually gets, or a single host could rotate through 2^64 of them.
 */
export class AddressLimit {
  readonly #open = new Map<string, number>();
  readonly #max: number;

  /** `max` 0 means no limit (behind a proxy every client has the proxy's address). */
  constructor(max: number) {
    this.#max = max;
  }

  /** Count a new socket from `address`; false (and nothing counted) when it is at the limit. */
  acquire(address: string | undefined): boolean {
    const key = addressKey(address);
    const n = this.#open.get(key) ?? 0;
    if (this.#max > 0 && n >= this.#max) return false;
    this.#open.set(key, n + 1);
    return true;
  }

  /** The socket counted by `acquire(address)` is gone. */
  release(address: string | undefined): void {
    const key = addressKey(address);
    const n = this.#open.get(key) ?? 0;
    if (n <= 1) this.#open.delete(key);
    else this.#open.set(key, n - 1);
  }

  /** Addresses with at least one open socket. */
  get addresses(): number {
    return this.#open.size;
  }
}

/** What an address counts as: itself for IPv4, its /64 for IPv6. */
export function addressKey(address: string | undefined): string {
  if (address === undefined || address === '') return 'unknown';
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return mapped[1] as string;
  if (!address.includes(':')) return address;
  const [head = '', tail] = address.toLowerCase().split('%')[0]!.split('::') as [string, string | undefined];
  const left = head === '' ? [] : head.split(':');
  const right = tail === undefined || tail === '' ? [] : tail.split(':');
  const groups = tail === undefined ? left : [...left, ...Array<string>(Math.max(0, 8 - left.length - right.length)).fill('0'), ...right];
  return `${groups.slice(0, 4).map((g) => g.replace(/^0+(?=.)/, '')).join(':')}::/64`;
}

import { describe, expect, it } from 'vitest';
import { AddressLimit, addressKey } from './address-limit';

describe('AddressLimit (INFR-01)', () => {
  it('INFR-01: allows max sockets per address, then refuses until one is released', () => {
    const limit = new AddressLimit(2);
    expect(limit.acquire('10.0.0.1')).toBe(true);
    expect(limit.acquire('10.0.0.1')).toBe(true);
    expect(limit.acquire('10.0.0.1')).toBe(false);
    expect(limit.acquire('10.0.0.2')).toBe(true);
    limit.release('10.0.0.1');
    expect(limit.acquire('10.0.0.1')).toBe(true);
    limit.release('10.0.0.1');
    limit.release('10.0.0.1');
    limit.release('10.0.0.2');
    expect(limit.addresses).toBe(0);
  });

  it('INFR-01: 0 means no limit', () => {
    const limit = new AddressLimit(0);
    for (let i = 0; i < 1000; i++) expect(limit.acquire('127.0.0.1')).toBe(true);
  });

  it('INFR-01: IPv4-mapped addresses are IPv4; IPv6 counts per /64', () => {
    expect(addressKey('::ffff:127.0.0.1')).toBe('127.0.0.1');
    expect(addressKey('127.0.0.1')).toBe('127.0.0.1');
    expect(addressKey('2001:db8:1:2:aaaa::1')).toBe('2001:db8:1:2::/64');
    expect(addressKey('2001:0db8:0001:0002:bbbb:cccc:dddd:eeee')).toBe('2001:db8:1:2::/64');
    expect(addressKey('2001:db8::1')).toBe('2001:db8:0:0::/64');
    expect(addressKey('::1')).toBe('0:0:0:0::/64');
    expect(addressKey('fe80::1%eth0')).toBe('fe80:0:0:0::/64');
    expect(addressKey(undefined)).toBe('unknown');
  });
});

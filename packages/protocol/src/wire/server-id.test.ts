import { describe, expect, it } from 'vitest';
import { canonicalServerId, isLoopbackHost } from './server-id';

describe('server identity (INFR-04)', () => {
  it('is the URL without trailing slash, query, fragment or default port — the same on client and server', () => {
    expect(canonicalServerId('wss://signal.example.org/')).toBe('wss://signal.example.org');
    expect(canonicalServerId('wss://signal.example.org:443/')).toBe('wss://signal.example.org');
    expect(canonicalServerId('ws://127.0.0.1:7717')).toBe('ws://127.0.0.1:7717');
    expect(canonicalServerId('wss://Example.ORG/signal//?x=1#y')).toBe('wss://example.org/signal');
  });

  it('throws on something that is not a URL', () => {
    expect(() => canonicalServerId('not a url')).toThrow(TypeError);
  });
});

describe('loopback hosts (INFR-04)', () => {
  it('are localhost, 127.0.0.0/8 and ::1; nothing else', () => {
    for (const h of ['localhost', 'LOCALHOST', '127.0.0.1', '127.5.6.7', '::1', '[::1]']) expect(isLoopbackHost(h), h).toBe(true);
    for (const h of ['192.168.1.5', '10.0.0.1', '128.0.0.1', 'localhost.example.org', '127.0.0.1.nip.io', '::2']) expect(isLoopbackHost(h), h).toBe(false);
  });
});

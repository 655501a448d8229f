import { describe, expect, it } from 'vitest';
import { type LaunchEnvironment, readLaunchParams, SESSION_STORAGE_KEY } from './launch-params';

const CODE = 'ab'.repeat(32);
const SECRET = 'cd'.repeat(32);

function environment(href: string, stored: Record<string, string> = {}) {
  const storage = new Map<string, string>(Object.entries(stored));
  const replaced: string[] = [];
  const env: LaunchEnvironment = {
    location: { href },
    sessionStorage: { getItem: (k) => storage.get(k) ?? null, setItem: (k, v) => void storage.set(k, v) },
    replaceUrl: (url) => replaced.push(url),
  };
  return { env, replaced, storage };
}

describe('launch parameters (security model: local bridge)', () => {
  it('reads the one-time code from the fragment, removes it from the address bar, and derives the bridge URLs', () => {
    const { env, replaced, storage } = environment(`http://127.0.0.1:4321/#code=${CODE}`);
    expect(readLaunchParams(env)).toEqual({
      bridgeUrl: 'ws://127.0.0.1:4321/bridge',
      sessionUrl: 'http://127.0.0.1:4321/bridge/session',
      secret: null,
      code: CODE,
    });
    expect(replaced).toEqual(['http://127.0.0.1:4321/']);
    expect(replaced.join()).not.toContain(CODE);
    // The code itself is never stored: it is spent once, by launch-session.
    expect([...storage.values()]).toEqual([]);
  });

  it('on a reload uses the session secret this window already holds', () => {
    const { env } = environment('http://127.0.0.1:4321/', { [SESSION_STORAGE_KEY]: SECRET });
    expect(readLaunchParams(env)).toMatchObject({ secret: SECRET, code: null });
  });

  it('accepts a bridge override on loopback only (a Vite dev server)', () => {
    expect(readLaunchParams(environment(`http://localhost:5173/?bridge=ws://127.0.0.1:4321/bridge#code=${CODE}`).env)).toMatchObject({
      bridgeUrl: 'ws://127.0.0.1:4321/bridge',
      sessionUrl: 'http://127.0.0.1:4321/bridge/session',
    });
    expect(readLaunchParams(environment(`http://127.0.0.1:5173/?bridge=wss://evil.example/bridge#code=${CODE}`).env)).toBeNull();
  });

  it('gives nothing without a well-formed code or secret', () => {
    expect(readLaunchParams(environment('http://127.0.0.1:4321/').env)).toBeNull();
    expect(readLaunchParams(environment('http://127.0.0.1:4321/#code=nothex!').env)).toBeNull();
    expect(readLaunchParams(environment('http://127.0.0.1:4321/', { [SESSION_STORAGE_KEY]: 'nothex!' }).env)).toBeNull();
  });
});

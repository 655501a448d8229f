import { describe, expect, it } from 'vitest';
import { type LaunchEnvironment, readLaunchParams } from './launch-params';

const TOKEN = 'ab'.repeat(32);

function environment(href: string) {
  const storage = new Map<string, string>();
  const replaced: string[] = [];
  const env: LaunchEnvironment = {
    location: { href },
    sessionStorage: { getItem: (k) => storage.get(k) ?? null, setItem: (k, v) => void storage.set(k, v) },
    replaceUrl: (url) => replaced.push(url),
  };
  return { env, replaced, storage };
}

describe('launch parameters (security model: local bridge)', () => {
  it('reads the token from the fragment, removes it from the address bar, and derives the bridge URL', () => {
    const { env, replaced } = environment(`http://127.0.0.1:4321/#token=${TOKEN}`);
    expect(readLaunchParams(env)).toEqual({ bridgeUrl: 'ws://127.0.0.1:4321/bridge', token: TOKEN });
    expect(replaced).toEqual(['http://127.0.0.1:4321/']);
    expect(replaced.join()).not.toContain(TOKEN);
  });

  it('keeps the token for a reload of the same window only (sessionStorage)', () => {
    const { env, storage } = environment(`http://127.0.0.1:4321/#token=${TOKEN}`);
    readLaunchParams(env);
    env.location.href = 'http://127.0.0.1:4321/';
    expect(readLaunchParams(env)?.token).toBe(TOKEN);
    expect([...storage.values()]).toEqual([TOKEN]);
  });

  it('accepts a bridge override on loopback only (a Vite dev server)', () => {
    expect(readLaunchParams(environment(`http://localhost:5173/?bridge=ws://127.0.0.1:4321/bridge#token=${TOKEN}`).env)?.bridgeUrl).toBe(
      'ws://127.0.0.1:4321/bridge',
    );
    expect(readLaunchParams(environment(`http://127.0.0.1:5173/?bridge=wss://evil.example/bridge#token=${TOKEN}`).env)).toBeNull();
  });

  it('gives nothing without a well-formed token', () => {
    expect(readLaunchParams(environment('http://127.0.0.1:4321/').env)).toBeNull();
    expect(readLaunchParams(environment('http://127.0.0.1:4321/#token=nothex!').env)).toBeNull();
  });
});

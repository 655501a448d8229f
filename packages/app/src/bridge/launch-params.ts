import { BRIDGE_PATH, BRIDGE_SESSION_PATH, BRIDGE_TOKEN_PATTERN as TOKEN_PATTERN } from '@discordopus/protocol/bridge';

/**
 * Where the bridge is, and how this window proves it may use it: the session secret kept from
 * an earlier load of this window, or else the one-time launch code of the address it was opened
 * with (to be exchanged for a secret, see launch-session.ts).
 */
export interface LaunchParams {
  bridgeUrl: string;
  /** `http://<bridge host>/bridge/session`: where a launch code is exchanged. */
  sessionUrl: string;
  /** The session secret this window already holds, or null. */
  secret: string | null;
  /** The launch code from the address, or null. */
  code: string | null;
}

export const SESSION_STORAGE_KEY = 'discordopus.bridgeSession';

export interface LaunchLocation {
  href: string;
}

export interface LaunchEnvironment {
  location: LaunchLocation;
  /** Survives a reload of this window only; the secret is never put anywhere else. */
  sessionStorage: Pick<Storage, 'getItem' | 'setItem'>;
  /** Removes the code from the address bar and history. */
  replaceUrl(url: string): void;
}

/**
 * The launcher opens `http://127.0.0.1:PORT/#code=HEX`. The fragment never reaches a server or
 * a log; it is removed from the address bar at once. The bridge is `ws://<same host>/bridge`
 * unless `?bridge=ws://…` names another on loopback (a Vite dev server). Null when the window
 * has neither a secret nor a well-formed code.
 */
export function readLaunchParams(env: LaunchEnvironment): LaunchParams | null {
  const url = new URL(env.location.href);
  const fragment = new URLSearchParams(url.hash.replace(/^#/, ''));
  let code = fragment.get('code');
  if (code !== null) {
    fragment.delete('code');
    const rest = fragment.toString();
    url.hash = rest === '' ? '' : `#${rest}`;
    env.replaceUrl(url.toString());
    if (!TOKEN_PATTERN.test(code)) code = null;
  }
  let secret = env.sessionStorage.getItem(SESSION_STORAGE_KEY);
  if (secret !== null && !TOKEN_PATTERN.test(secret)) secret = null;
  if (code === null && secret === null) return null;

  const override = url.searchParams.get('bridge');
  const bridgeUrl = override ?? `${url.protocol === 'https:' ? 'wss' : 'ws'}://${url.host}${BRIDGE_PATH}`;
  if (!/^wss?:\/\/(127\.0\.0\.1|localhost|\[::1\])(:\d+)?\//.test(bridgeUrl)) return null;
  const bridge = new URL(bridgeUrl);
  const sessionUrl = `${bridge.protocol === 'wss:' ? 'https' : 'http'}://${bridge.host}${BRIDGE_SESSION_PATH}`;
  return { bridgeUrl, sessionUrl, secret, code };
}

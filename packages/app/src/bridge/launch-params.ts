import { BRIDGE_PATH, BRIDGE_TOKEN_PATTERN as TOKEN_PATTERN } from '@discordopus/protocol/bridge';

/** Where the bridge is and the per-launch token, read once from the page URL. */
export interface LaunchParams {
  bridgeUrl: string;
  token: string;
}

const STORAGE_KEY = 'discordopus.bridgeToken';

export interface LaunchLocation {
  href: string;
}

export interface LaunchEnvironment {
  location: LaunchLocation;
  /** Survives a reload of this window only; the token is never put anywhere else. */
  sessionStorage: Pick<Storage, 'getItem' | 'setItem'>;
  /** Removes the token from the address bar and history. */
  replaceUrl(url: string): void;
}

/**
 * The launcher opens `http://127.0.0.1:PORT/#token=HEX`. The fragment never reaches a server or
 * a log; it is moved to sessionStorage and removed from the address bar at once. The bridge is
 * `ws://<same host>/bridge` unless `?bridge=ws://…` names another (a Vite dev server).
 */
export function readLaunchParams(env: LaunchEnvironment): LaunchParams | null {
  const url = new URL(env.location.href);
  const fragment = new URLSearchParams(url.hash.replace(/^#/, ''));
  let token = fragment.get('token');
  if (token !== null) {
    fragment.delete('token');
    const rest = fragment.toString();
    url.hash = rest === '' ? '' : `#${rest}`;
    env.replaceUrl(url.toString());
    if (TOKEN_PATTERN.test(token)) env.sessionStorage.setItem(STORAGE_KEY, token);
  } else {
    token = env.sessionStorage.getItem(STORAGE_KEY);
  }
  if (token === null || !TOKEN_PATTERN.test(token)) return null;

  const override = url.searchParams.get('bridge');
  const bridgeUrl = override ?? `${url.protocol === 'https:' ? 'wss' : 'ws'}://${url.host}${BRIDGE_PATH}`;
  if (!/^wss?:\/\/(127\.0\.0\.1|localhost|\[::1\])(:\d+)?\//.test(bridgeUrl)) return null;
  return { bridgeUrl, token };
}

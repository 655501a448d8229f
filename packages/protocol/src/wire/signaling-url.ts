import { isLoopbackHost } from './server-id';

/** The port a signaling server listens on unless told otherwise (server, launcher, client default). */
export const DEFAULT_SIGNALING_PORT = 7717;
/** The server a new profile uses: one on this computer (the launcher's embedded server). */
export const DEFAULT_SIGNALING_URL = `ws://127.0.0.1:${DEFAULT_SIGNALING_PORT}`;
export const SIGNALING_URL_MAX_CHARS = 2048;

export type SignalingUrlCheck =
  | { ok: true; url: URL }
  | { ok: false; reason: 'malformed'; problem: string }
  | { ok: false; reason: 'insecure'; host: string; problem: string };

/**
 * The one set of rules for a signaling server URL (INFR-04, UI-02), used by the settings form,
 * the bridge, the launcher's `--server`, the stored setting and the client's connection check:
 * `ws://` or `wss://`, a host, a port in 1..65535, no user name or password, no #fragment, at most
 * 2048 characters; plain `ws://` only to this computer unless `allowInsecureRemote` (a LAN test
 * set-up the user opted into). Problems are one sentence for a person.
 */
export function checkSignalingUrl(text: string, options: { allowInsecureRemote?: boolean } = {}): SignalingUrlCheck {
  const raw = text.trim();
  const malformed = (problem: string): SignalingUrlCheck => ({ ok: false, reason: 'malformed', problem });
  if (raw.length === 0) return malformed('Enter a server address.');
  if (raw.length > SIGNALING_URL_MAX_CHARS) return malformed('That address is too long.');
  const portText = /^[a-z]+:\/\/[^/?#]*?:(\d+)(?:[/?#]|$)/i.exec(raw)?.[1];
  if (portText !== undefined && (Number(portText) < 1 || Number(portText) > 65535)) return malformed('The port must be between 1 and 65535.');
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return malformed('A server address looks like wss://signal.example.org.');
  }
  if ((url.protocol !== 'ws:' && url.protocol !== 'wss:') || !/^wss?:\/\//i.test(raw) || url.hostname === '') {
    return malformed('A server address looks like wss://signal.example.org.');
  }
  if (url.username !== '' || url.password !== '') return malformed('A server address must not contain a user name or password.');
  if (url.hash !== '' || raw.includes('#')) return malformed('A server address must not contain a #fragment.');
  if (url.protocol === 'ws:' && !options.allowInsecureRemote && !isLoopbackHost(url.hostname)) {
    return { ok: false, reason: 'insecure', host: url.hostname, problem: 'Use wss:// for a server on another machine (ws:// is only for this computer, unless you allow unencrypted servers on the local network).' };
  }
  return { ok: true, url };
}

/**
 * Why a signaling server URL cannot be used, as one sentence, or null when it is fine. Plain
 * ws:// to another machine only with `allowInsecureRemote` (the user's local-network switch).
 */
export function signalingUrlProblem(text: string, options: { allowInsecureRemote?: boolean } = {}): string | null {
  const check = checkSignalingUrl(text, options);
  return check.ok ? null : check.problem;
}

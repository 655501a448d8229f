import { isLoopbackHost } from '@discordopus/protocol';
import { SignalingError } from './signaling-error';

/**
 * INFR-04: the signaling connection is encrypted (wss://) to any server that is not this
 * computer. Plain ws:// is accepted only for loopback hosts, or when the user explicitly allows
 * insecure remote servers (for a LAN test set-up).
 */
export function checkServerUrl(raw: string, allowInsecureRemote: boolean): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw SignalingError.badUrl('it is not a URL.');
  }
  if (url.protocol !== 'ws:' && url.protocol !== 'wss:') throw SignalingError.badUrl('it must start with wss:// or ws://.');
  if (url.username || url.password) throw SignalingError.badUrl('it must not contain a user name or password.');
  if (url.hash) throw SignalingError.badUrl('it must not contain a #fragment.');
  if (url.protocol === 'ws:' && !allowInsecureRemote && !isLoopbackHost(url.hostname)) {
    throw SignalingError.insecureUrl(url.hostname);
  }
  return url;
}

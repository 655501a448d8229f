import { checkSignalingUrl } from '@discordopus/protocol';
import { SignalingError } from './signaling-error';

/**
 * INFR-04: the signaling connection is encrypted (wss://) to any server that is not this
 * computer. Plain ws:// is accepted only for loopback hosts, or when the user explicitly allows
 * insecure remote servers (for a LAN test set-up). The rules are protocol's `checkSignalingUrl`,
 * the same the settings form and the launcher apply.
 */
export function checkServerUrl(raw: string, allowInsecureRemote: boolean): URL {
  const check = checkSignalingUrl(raw, { allowInsecureRemote });
  if (check.ok) return check.url;
  if (check.reason === 'insecure') throw SignalingError.insecureUrl(check.host);
  throw SignalingError.badUrl(check.problem.charAt(0).toLowerCase() + check.problem.slice(1));
}

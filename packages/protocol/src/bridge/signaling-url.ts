import { z } from 'zod';
import { isLoopbackHost } from '../wire/server-id';
import { BRIDGE_LIMITS } from './primitives';

const URL_SHAPE = /^(wss?):\/\/([^\s/?#@]+?)(?::(\d{1,5}))?(?:[/?#][^\s]*)?$/i;

/**
 * Why a signaling server URL cannot be used, as one sentence for a person, or null when it is
 * fine. `ws://` is allowed only to loopback; anything else must be `wss://` (INFR-04), unless
 * the user turned on `allowInsecureRemote` (a server on the local network, issue 15 item 13).
 * Written without the URL class so that it runs wherever protocol runs.
 */
export function signalingUrlProblem(text: string, options: { allowInsecureRemote?: boolean } = {}): string | null {
  const url = text.trim();
  if (url.length === 0) return 'Enter a server address.';
  if (url.length > BRIDGE_LIMITS.signalingUrlChars) return 'That address is too long.';
  const match = URL_SHAPE.exec(url);
  if (match === null) return 'A server address looks like wss://signal.example.org.';
  const [, scheme, host, port] = match as unknown as [string, string, string, string | undefined];
  if (port !== undefined && (Number(port) < 1 || Number(port) > 65535)) return 'The port must be between 1 and 65535.';
  if (scheme.toLowerCase() === 'ws' && !isLoopbackHost(host) && options.allowInsecureRemote !== true) {
    return 'Use wss:// for a server on another machine (ws:// is only for this computer, unless you allow unencrypted servers on the local network).';
  }
  return null;
}

export const signalingUrlSchema = z
  .string()
  .trim()
  .max(BRIDGE_LIMITS.signalingUrlChars)
  .superRefine((url, ctx) => {
    const problem = signalingUrlProblem(url);
    if (problem !== null) ctx.addIssue({ code: 'custom', message: problem });
  });

/** The shape only (plain ws:// anywhere allowed): for settings.set, whose core checks ws:// against the profile's switch. */
export const anySignalingUrlSchema = z
  .string()
  .trim()
  .max(BRIDGE_LIMITS.signalingUrlChars)
  .superRefine((url, ctx) => {
    const problem = signalingUrlProblem(url, { allowInsecureRemote: true });
    if (problem !== null) ctx.addIssue({ code: 'custom', message: problem });
  });

import { DiscordOpusError } from '@discordopus/protocol';
import { bridgeSessionErrorSchema, bridgeSessionResponseSchema, parseBridgeValue } from '@discordopus/protocol/bridge';
import { type LaunchEnvironment, type LaunchParams, SESSION_STORAGE_KEY } from './launch-params';

export type FetchLike = (url: string, init: { method: 'POST'; headers: Record<string, string>; body: string }) => Promise<{
  status: number;
  json(): Promise<unknown>;
}>;

/**
 * The session secret for this window: the one it already holds, or a new one bought once with
 * the launch code (`POST /bridge/session`) and kept in sessionStorage for reloads. Rejects with
 * a DiscordOpusError carrying the bridge's code and sentence (a used or expired address).
 */
export async function obtainBridgeSecret(params: LaunchParams, env: Pick<LaunchEnvironment, 'sessionStorage'>, fetchFn: FetchLike): Promise<string> {
  if (params.secret !== null) return params.secret;
  if (params.code === null) throw new DiscordOpusError('BRIDGE_CODE_UNKNOWN', 'This page needs the address the DiscordOpus launcher opens.');
  let status: number;
  let body: unknown;
  try {
    const response = await fetchFn(params.sessionUrl, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ code: params.code }),
    });
    status = response.status;
    body = await response.json();
  } catch {
    throw new DiscordOpusError('BRIDGE_CLOSED', 'The DiscordOpus core does not answer. Is the launcher still running?');
  }
  if (status === 200) {
    const ok = parseBridgeValue(bridgeSessionResponseSchema, body);
    if (ok.ok) {
      env.sessionStorage.setItem(SESSION_STORAGE_KEY, ok.value.secret);
      return ok.value.secret;
    }
  }
  const refused = parseBridgeValue(bridgeSessionErrorSchema, body);
  if (refused.ok) throw new DiscordOpusError(refused.value.code, refused.value.message);
  throw new DiscordOpusError('BRIDGE_BAD_RESULT', `The DiscordOpus core answered the launch code unexpectedly (HTTP ${status}).`);
}

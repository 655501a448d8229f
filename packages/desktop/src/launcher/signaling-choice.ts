import { SETTINGS } from '@discordopus/core';

/**
 * Which signaling servers a profile uses for this run:
 * - `--server URL` given: those;
 * - the profile has its own servers: the profile's setting;
 * - otherwise (the default, a fresh profile): the embedded server, unless it is disabled, in
 *   which case the default setting stands.
 */
export type SignalingChoice = { kind: 'flag'; urls: readonly string[] } | { kind: 'profile' } | { kind: 'embedded' };

export function chooseSignaling(input: { serverFlag: readonly string[]; embeddedServer: boolean; profileUrls: readonly string[] }): SignalingChoice {
  if (input.serverFlag.length > 0) return { kind: 'flag', urls: input.serverFlag };
  const configured = JSON.stringify(input.profileUrls) !== JSON.stringify(SETTINGS['network.signalingUrls'].default);
  if (configured || !input.embeddedServer) return { kind: 'profile' };
  return { kind: 'embedded' };
}

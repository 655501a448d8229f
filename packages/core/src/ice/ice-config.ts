import type { z } from 'zod';
import { type IceConfiguration, type IceServer, iceServerSchema, isTurnUrl } from './ice-server-schema';

export type { IceConfiguration, IceServer };

/**
 * ICE configuration (INFR-02): the `RTCIceServer[]` list the P2P layer hands to WebRTC.
 *
 * Sources, most preferred first: the user's own servers from settings, the servers the
 * signaling server sent in its welcome (its STUN and TURN with short-lived credentials), and
 * built-in public STUN servers used only when nobody else provided a STUN server. With
 * relay-only (privacy: a contact never learns your IP address) every STUN entry is dropped and
 * the transport policy is `relay`.
 */
export const DEFAULT_STUN_SERVERS: readonly IceServer[] = [
  { urls: ['stun:stun.cloudflare.com:3478'] },
  { urls: ['stun:stun.l.google.com:19302'] },
];

export interface IceSources {
  user: readonly z.input<typeof iceServerSchema>[];
  server: readonly z.input<typeof iceServerSchema>[];
  relayOnly: boolean;
  defaults?: readonly IceServer[];
}

export function buildIceConfiguration(sources: IceSources): IceConfiguration {
  const chosen: IceServer[] = [];
  for (const raw of [...sources.user, ...sources.server]) {
    const parsed = iceServerSchema.safeParse(raw);
    if (parsed.success) chosen.push(normalize(parsed.data));
  }
  const hasStun = chosen.some((s) => s.urls.some((u) => !isTurnUrl(u)));
  if (!hasStun) chosen.push(...(sources.defaults ?? DEFAULT_STUN_SERVERS).map(normalize));

  const seen = new Set<string>();
  const iceServers: IceServer[] = [];
  for (const server of chosen) {
    const urls = server.urls.filter((u) => (sources.relayOnly ? isTurnUrl(u) : true)).filter((u) => {
      const key = `${u}|${server.username ?? ''}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
    if (urls.length > 0) iceServers.push({ ...server, urls });
  }
  return { iceServers, iceTransportPolicy: sources.relayOnly ? 'relay' : 'all' };
}

function normalize(server: { urls: string | readonly string[]; username?: string; credential?: string }): IceServer {
  const out: IceServer = { urls: [...(typeof server.urls === 'string' ? [server.urls] : server.urls)] };
  if (server.username !== undefined) out.username = server.username;
  if (server.credential !== undefined) out.credential = server.credential;
  return out;
}

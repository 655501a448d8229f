import { z } from 'zod';

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

const iceUrl = z
  .string()
  .max(512)
  .regex(/^(stuns?|turns?):[^\s]+$/, 'an ICE server URL starts with stun:, stuns:, turn: or turns:');

export const iceServerSchema = z
  .object({
    urls: z.union([iceUrl, z.array(iceUrl).min(1).max(8)]),
    username: z.string().max(512).optional(),
    credential: z.string().max(512).optional(),
  })
  .refine((s) => !toArray(s.urls).some(isTurn) || (s.username !== undefined && s.credential !== undefined), {
    message: 'a TURN server needs a username and a credential',
  });

export interface IceServer {
  urls: string[];
  username?: string;
  credential?: string;
}

export interface IceConfiguration {
  iceServers: IceServer[];
  iceTransportPolicy: 'all' | 'relay';
}

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
  const hasStun = chosen.some((s) => s.urls.some((u) => !isTurn(u)));
  if (!hasStun) chosen.push(...(sources.defaults ?? DEFAULT_STUN_SERVERS).map(normalize));

  const seen = new Set<string>();
  const iceServers: IceServer[] = [];
  for (const server of chosen) {
    const urls = server.urls.filter((u) => (sources.relayOnly ? isTurn(u) : true)).filter((u) => {
      const key = `${u}|${server.username ?? ''}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
    if (urls.length > 0) iceServers.push({ ...server, urls });
  }
  return { iceServers, iceTransportPolicy: sources.relayOnly ? 'relay' : 'all' };
}

function isTurn(url: string): boolean {
  return url.startsWith('turn:') || url.startsWith('turns:');
}

function toArray(urls: string | string[]): string[] {
  return Array.isArray(urls) ? urls : [urls];
}

function normalize(server: { urls: string | readonly string[]; username?: string; credential?: string }): IceServer {
  const out: IceServer = { urls: [...(typeof server.urls === 'string' ? [server.urls] : server.urls)] };
  if (server.username !== undefined) out.username = server.username;
  if (server.credential !== undefined) out.credential = server.credential;
  return out;
}

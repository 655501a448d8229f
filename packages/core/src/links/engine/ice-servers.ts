import type { IceServer as NdcIceServer } from 'node-datachannel';
import type { IceConfiguration } from '../../ice/ice-config';

/**
 * The ICE configuration in node-datachannel's object form. TURN goes in the object form
 * because the server's time-limited usernames (`expiry:id`) make the URL form hang in
 * "checking" unless percent-encoded (ARCHITECTURE: facts checked here). A URL that cannot be
 * parsed is skipped rather than handed to the engine.
 */
export function toEngineIceServers(config: IceConfiguration): NdcIceServer[] {
  const out: NdcIceServer[] = [];
  for (const server of config.iceServers) {
    for (const url of server.urls) {
      const parsed = parseIceUrl(url);
      if (!parsed) continue;
      if (parsed.scheme === 'stun' || parsed.scheme === 'stuns') {
        out.push({ hostname: parsed.host, port: parsed.port });
        continue;
      }
      if (server.username === undefined || server.credential === undefined) continue;
      out.push({
        hostname: parsed.host,
        port: parsed.port,
        username: server.username,
        password: server.credential,
        relayType: parsed.scheme === 'turns' ? 'TurnTls' : parsed.transport === 'tcp' ? 'TurnTcp' : 'TurnUdp',
      });
    }
  }
  return out;
}

interface ParsedIceUrl {
  scheme: 'stun' | 'stuns' | 'turn' | 'turns';
  host: string;
  port: number;
  transport: 'udp' | 'tcp';
}

/** `stun:host[:port]`, `turn:host[:port][?transport=udp|tcp]`, IPv6 in brackets. */
export function parseIceUrl(url: string): ParsedIceUrl | null {
  const m = /^(stuns?|turns?):(\[[0-9a-fA-F:.]+\]|[^:?[\]\s]+)(?::(\d{1,5}))?(?:\?transport=(udp|tcp))?$/.exec(url);
  if (!m?.[1] || !m[2]) return null;
  const scheme = m[1] as ParsedIceUrl['scheme'];
  const secure = scheme === 'stuns' || scheme === 'turns';
  const port = m[3] ? Number(m[3]) : secure ? 5349 : 3478;
  if (port < 1 || port > 65_535) return null;
  const host = m[2].startsWith('[') ? m[2].slice(1, -1) : m[2];
  return { scheme, host, port, transport: m[4] === 'tcp' ? 'tcp' : 'udp' };
}

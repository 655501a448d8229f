import { z } from 'zod';

/**
 * The shape of a STUN/TURN server entry (INFR-02), shared by the settings (the user's own
 * servers, stored in the vault) and the ICE configuration built from them. It lives below both
 * and depends on nothing but zod, so storage never imports the network layer.
 */
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
  .refine((s) => !toArray(s.urls).some(isTurnUrl) || (s.username !== undefined && s.credential !== undefined), {
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

export function isTurnUrl(url: string): boolean {
  return url.startsWith('turn:') || url.startsWith('turns:');
}

function toArray(urls: string | string[]): string[] {
  return Array.isArray(urls) ? urls : [urls];
}

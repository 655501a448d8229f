import { createHmac } from 'node:crypto';
import type { IceServer } from '@discordopus/protocol';

export interface TurnCredential {
  username: string;
  credential: string;
  /** When coturn stops accepting it, ms since the epoch. */
  expiresAtMs: number;
}

/**
 * TURN REST API credentials (draft-uberti-behave-turn-rest), as coturn's `use-auth-secret`
 * checks them: `username = <expiry unix seconds>:<user>`,
 * `password = base64(HMAC-SHA1(secret, username))`. Nothing is stored: any node that knows the
 * secret can mint them, and coturn verifies them with the secret alone.
 */
export function turnCredential(secret: string, user: string, ttlSeconds: number, nowMs: number): TurnCredential {
  const expiry = Math.floor(nowMs / 1000) + ttlSeconds;
  const username = `${expiry}:${user}`;
  const credential = createHmac('sha1', secret).update(username).digest('base64');
  return { username, credential, expiresAtMs: expiry * 1000 };
}

export interface IceServerSettings {
  stunUrls: readonly string[];
  turnUrls: readonly string[];
  turnSecret?: string | undefined;
  turnCredentialTtlSeconds: number;
}

/** The `iceServers` of a welcome: STUN as configured, TURN with fresh credentials for `user`. */
export function iceServersFor(settings: IceServerSettings, user: string, nowMs: number): { iceServers: IceServer[]; iceExpiresAtMs: number | null } {
  const iceServers: IceServer[] = [];
  if (settings.stunUrls.length > 0) iceServers.push({ urls: [...settings.stunUrls] });
  if (settings.turnUrls.length > 0 && settings.turnSecret !== undefined) {
    const cred = turnCredential(settings.turnSecret, user, settings.turnCredentialTtlSeconds, nowMs);
    iceServers.push({ urls: [...settings.turnUrls], username: cred.username, credential: cred.credential });
    return { iceServers, iceExpiresAtMs: cred.expiresAtMs };
  }
  return { iceServers, iceExpiresAtMs: null };
}

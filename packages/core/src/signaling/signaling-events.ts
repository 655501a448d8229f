import type { IceServer, OwnStatus, ServerMessage, SessionLimits } from '@discordopus/protocol';

export type ConnectionState = 'disconnected' | 'connecting' | 'authenticating' | 'connected' | 'backing-off' | 'failed';

export interface ConnectionStatus {
  state: ConnectionState;
  /** A stable code saying why we are in this state (`SERVER_CLOSED`, `AUTH_REJECTED`, …), or null. */
  reason: string | null;
  /** One sentence for a person, or null. */
  detail: string | null;
  /** When the next attempt starts (backing-off only), ms since the epoch. */
  nextRetryAt: number | null;
  /** Host and port of the server in use (never the full URL). */
  server: string | null;
}

export interface WelcomeInfo {
  iceServers: IceServer[];
  iceExpiresAtMs: number | null;
  heartbeatIntervalMs: number;
  limits: SessionLimits;
  /** The status the login proof carried (the user may have changed it since). */
  loginStatus: OwnStatus;
}

export type SignalingClientEvents = {
  stateChanged: (e: ConnectionStatus & { prev: ConnectionState }) => void;
  /** Authenticated: the session is usable. Upload contacts now. */
  connected: (e: WelcomeInfo) => void;
  /** Any server message after the welcome, already validated. */
  message: (e: { message: ServerMessage }) => void;
};

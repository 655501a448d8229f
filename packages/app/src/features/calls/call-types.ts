import { type CallFrame, type CallFrameProblem, DEFAULT_VOICE_PREFERENCES, type VoicePreferences } from '@discordopus/protocol/calls';

/** Why a call ended, as the user is told (PROTOCOL.md §9.2). */
export type CallEndReason =
  | 'hangup'
  | 'remote-hangup'
  | 'declined'
  | 'busy'
  | 'no-answer'
  | 'missed'
  | 'cancelled'
  | 'peer-lost'
  /** The browser is offline: this side's network went away. */
  | 'network-lost'
  | 'security'
  /** The microphone was refused (permission) or could not be opened (none, unplugged, in use). */
  | 'mic-denied'
  | 'mic-missing'
  /** Relay-only is on and no TURN relay is configured: the call would leak the address or never connect. */
  | 'no-relay'
  /** The invite could not go out: no direct link to the contact (offline). */
  | 'unreachable'
  /** The direct link that carries the call's frames broke during the call. */
  | 'link-lost'
  /** Another window of this profile accepted or declined the ringing call (it records the call). */
  | 'answered-elsewhere'
  /** The peer's side failed (its microphone or set-up): `call.hangup {error}`. */
  | 'remote-error'
  | 'error';

export type CallDirection = 'outgoing' | 'incoming';

/** The state machine: idle → outgoing/ringing → connecting → in-call → ended{reason}. */
export type CallState =
  | { phase: 'idle' }
  | { phase: 'outgoing'; callId: string; direction: 'outgoing' }
  | { phase: 'ringing'; callId: string; direction: CallDirection }
  | { phase: 'connecting'; callId: string; direction: CallDirection }
  | { phase: 'in-call'; callId: string; direction: CallDirection; connectedAt: number }
  | { phase: 'ended'; callId: string; direction: CallDirection; reason: CallEndReason; durationMs: number | null };

export type CallPhase = CallState['phase'];

/** Why a frame from the peer was refused (PROTOCOL.md §9.3). */
export type CallRefusal = CallFrameProblem | 'unexpected';

/**
 * Settings → Voice (VOICE-01): capture processing defaults on; device ids null = system default;
 * the chosen devices' names, to show a missing one and find it again when its id changed. The
 * vault's `voice.preferences` record, one shape and one set of defaults (protocol/calls).
 */
export type VoiceSettings = VoicePreferences;

export const DEFAULT_VOICE_SETTINGS: VoiceSettings = DEFAULT_VOICE_PREFERENCES;

export function audioConstraints(settings: VoiceSettings): MediaStreamConstraints {
  return {
    audio: {
      echoCancellation: settings.echoCancellation,
      noiseSuppression: settings.noiseSuppression,
      autoGainControl: settings.autoGainControl,
      sampleRate: 48_000,
      channelCount: 1,
      ...(settings.inputDeviceId !== null ? { deviceId: { ideal: settings.inputDeviceId } } : {}),
    },
    video: false,
  };
}

/** One quality sample (VOICE-03), taken every second while connected. */
export interface CallQuality {
  at: number;
  /** Round-trip time of the selected candidate pair, ms (null until measured). */
  rttMs: number | null;
  /** Inbound jitter, ms. */
  jitterMs: number | null;
  /** Fraction (0–1) of inbound packets lost since the previous sample. */
  loss: number | null;
  /** Bits per second, since the previous sample. */
  inboundBitrate: number | null;
  outboundBitrate: number | null;
  /** e.g. `audio/opus 48000 minptime=10;useinbandfec=1;usedtx=1`. */
  codec: string | null;
  /** Direct (host/srflx/prflx on both ends) or through a TURN relay. */
  route: 'direct' | 'relayed' | null;
}

/** Audio levels (0–1) for the speaking indicators. */
export interface CallLevels {
  local: number;
  remote: number;
  localSpeaking: boolean;
  remoteSpeaking: boolean;
}

export interface CallEngineEvents {
  [event: string]: (payload: never) => void;
  stateChanged: (e: { state: CallState; prev: CallState }) => void;
  quality: (e: { quality: CallQuality }) => void;
  levels: (e: { levels: CallLevels }) => void;
  /** The first inbound audio packet of the call arrived (bench, VOICE-01). */
  mediaFlowing: (e: { callId: string; at: number }) => void;
  refused: (e: { reason: CallRefusal; type: string | null }) => void;
  /** The call connection's state (the UI shows "reconnecting…" while `disconnected`, VOICE-04). */
  connectionChanged: (e: { state: RTCPeerConnectionState }) => void;
  /** Local mute/deafen changed. */
  controls: (e: { muted: boolean; deafened: boolean }) => void;
  /** The microphone chosen in Settings → Voice is not connected: the default one is used for this call. */
  microphoneFallback: (e: { callId: string }) => void;
}

/** Timers and time, injected (CONVENTIONS 7). */
export interface CallClock {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export interface CallEngineOptions {
  /** Sends a frame to the peer over the link (later: bridge → core → link). */
  send: (frame: CallFrame) => void;
  clock?: CallClock;
  /** Random bytes for call IDs. */
  randomBytes?: (n: number) => Uint8Array;
  settings?: VoiceSettings;
  /** The same ICE configuration as links; loopback tests pass [] or a local coturn. */
  iceServers?: RTCIceServer[];
  /** Relay-only privacy option (P2P-03): `iceTransportPolicy: 'relay'`. */
  relayOnly?: boolean;
  /** Where the remote audio plays (created when absent). */
  audioElement?: HTMLAudioElement;
  getUserMedia?: (constraints: MediaStreamConstraints) => Promise<MediaStream>;
  /** The browser's devices (enumerateDevices), to find a remembered microphone or speaker again. */
  listDevices?: () => Promise<Pick<MediaDeviceInfo, 'deviceId' | 'kind' | 'label'>[]>;
  ringTimeoutMs?: number;
  /** How long a disconnected call may take to come back (after the ICE restart) before 'peer-lost'. */
  reconnectGraceMs?: number;
  qualityIntervalMs?: number;
  levelIntervalMs?: number;
  /** Level above which a side counts as speaking. */
  speakingThreshold?: number;
  /** Whether the browser has a network (navigator.onLine): tells "your network" from "the peer" when a call is lost. */
  online?: () => boolean;
}

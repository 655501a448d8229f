import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { profileDir, TEST_ONLY_CHEAP_SCRYPT } from '@discordopus/core';
import { DiscordOpusError } from '@discordopus/protocol';
import {
  type BridgeEventName,
  type BridgeEventPayload,
  type BridgeMethod,
  type BridgeParamsInput,
  type BridgeResult,
  dispatchBridgeCall,
} from '@discordopus/protocol/bridge';
import { CoreSession } from '../../src/core-session';

/** A fast reconnect policy so that tests about recovery do not wait for the real back-off. */
export const FAST_RECONNECT = { minDelayMs: 50, maxDelayMs: 400, firstConnectJitterMs: 0, stableAfterMs: 15_000 };

/** Direct links kept on 127.0.0.1 with no STUN server at all (tests never reach the internet). */
export const LOOPBACK_LINKS = { defaultIceServers: [], links: { bindAddress: '127.0.0.1' } } as const;

export interface RecordedEvent {
  event: BridgeEventName;
  payload: unknown;
}

export interface TestSession {
  session: CoreSession;
  events: RecordedEvent[];
  /** FILE-03: the folders "Open folder" asked the platform's file manager to show (recorded, never opened). */
  openedFolders: string[];
  /** Call through the contract, as the bridge server does: params and results are validated. */
  call<M extends BridgeMethod>(method: M, params: BridgeParamsInput<M>): Promise<BridgeResult<M>>;
  last<E extends BridgeEventName>(event: E): BridgeEventPayload<E> | null;
}

const homes: string[] = [];

export function tempHome(): string {
  const home = mkdtempSync(join(tmpdir(), 'discordopus-desktop-'));
  homes.push(home);
  return home;
}

export function removeTempHomes(): void {
  for (const home of homes.splice(0)) rmSync(home, { recursive: true, force: true });
}

export function openSession(options: {
  home: string;
  profile: string;
  serverUrls?: () => readonly string[] | null;
  /** More client-core options (e.g. LOOPBACK_LINKS); the fast reconnect policy is always set. */
  network?: Omit<NonNullable<ConstructorParameters<typeof CoreSession>[0]['network']>, 'policy'>;
  /** FILE-03: a real opener (e.g. one whose program is missing) instead of the recording one. */
  openFolder?: NonNullable<ConstructorParameters<typeof CoreSession>[0]['openFolder']>;
}): TestSession {
  const openedFolders: string[] = [];
  const session = new CoreSession({
    openFolder:
      options.openFolder ??
      (async (dir) => {
        openedFolders.push(dir);
      }),
    profileName: options.profile,
    dir: profileDir({ profile: options.profile, home: options.home }),
    kdf: TEST_ONLY_CHEAP_SCRYPT,
    // FILE-03: the default downloads folder is under the test's own home, never the user's.
    network: { ...options.network, policy: FAST_RECONNECT, files: { homeDir: options.home, ...options.network?.files } },
    ...(options.serverUrls ? { signalingOverride: async () => options.serverUrls?.() ?? null } : {}),
  });
  const events: RecordedEvent[] = [];
  session.onEvent((event, payload) => events.push({ event, payload }));
  return {
    session,
    events,
    openedFolders,
    async call(method, params) {
      const frame = await dispatchBridgeCall(session.handlers, { kind: 'call', id: 1, method, params });
      if (!frame.ok) throw new DiscordOpusError(frame.error.code, frame.error.message);
      return frame.value as BridgeResult<typeof method>;
    },
    last(event) {
      const found = events.filter((e) => e.event === event).at(-1);
      return (found?.payload ?? null) as BridgeEventPayload<typeof event> | null;
    },
  };
}

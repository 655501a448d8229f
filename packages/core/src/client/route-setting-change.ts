import type { SettingChange } from '../settings/settings-schema';

/** Where the root sends a changed setting (see ClientCore's wiring diagram). */
export interface SettingChangeTargets {
  /** The signaling server list or its security changed: reconnect if the list differs. */
  refreshServers(): void;
  /** The user's ICE servers or relay-only choice changed. */
  userIceChanged(): void;
  /** The idle close timeout of links changed (a core built without links ignores it). */
  setLinkIdleTimeout(ms: number): void;
}

/** One changed setting to the part that applies it now (exhaustive: a new key must be routed here). */
export function routeSettingChange(change: SettingChange, to: SettingChangeTargets): void {
  switch (change.key) {
    case 'network.signalingUrls':
    case 'network.allowInsecureRemote':
      return to.refreshServers();
    case 'network.iceServers':
    case 'network.relayOnly':
      return to.userIceChanged();
    case 'links.idleCloseMs':
      return to.setLinkIdleTimeout(change.value);
    case 'presence.status':
    case 'appearance.theme':
    case 'privacy.sendReadReceipts': // read by the message service at each receipt
    case 'files.downloadsDir': // the files.* settings are read by the file service at each use
    case 'files.maxReceiveBytes':
    case 'files.autoAcceptVerifiedMaxBytes':
    case 'voice.preferences': // applied by the window (Settings → Voice)
      return;
    default: {
      const never: never = change;
      return never;
    }
  }
}

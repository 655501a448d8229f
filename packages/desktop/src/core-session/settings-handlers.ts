import { SettingsError, type Vault } from '@discordopus/core';
import { type BridgeHandlers, type Settings, signalingUrlProblem } from '@discordopus/protocol/bridge';
import { settingsForBridge } from './bridge-mapping';
import { applyFileSettings, fileSettingsOf } from './files/file-settings';

/** What the settings calls need of the open profile. */
export interface SettingsTarget {
  vault: Vault;
  /** This run's server list, or null for the profile's setting. */
  signaling: { override: readonly string[] | null };
}

export interface SettingsContext {
  /** The open profile (throws VAULT_CLOSED / SESSION_CLOSED as every call does). */
  open(): SettingsTarget;
  /** While the override is in force: a sentence about it, or null. */
  signalingNote(): string | null;
  /** The home folder the default downloads folder is under (tests: a temp dir). */
  homeDir(): string | undefined;
}

/** The settings the window shows (UI-02, P2P-01, P2P-03, MSG-01, FILE-01, FILE-03, VOICE-01). */
export function settingsOf(ctx: SettingsContext): Settings {
  const open = ctx.open();
  const { settings } = open.vault;
  return settingsForBridge({
    signalingUrls: open.signaling.override ?? settings.get('network.signalingUrls'),
    theme: settings.get('appearance.theme'),
    signalingNote: open.signaling.override !== null ? ctx.signalingNote() : null,
    allowInsecureRemote: settings.get('network.allowInsecureRemote'),
    relayOnly: settings.get('network.relayOnly'),
    linkIdleCloseMs: settings.get('links.idleCloseMs'),
    sendReadReceipts: settings.get('privacy.sendReadReceipts'),
    files: fileSettingsOf(open.vault, ctx.homeDir()),
    voice: settings.get('voice.preferences'),
  });
}

/** `settings.get` and `settings.set`: every value is checked before any is stored; answers the settings now in force. */
export function settingsHandlers(ctx: SettingsContext): Pick<BridgeHandlers, 'settings.get' | 'settings.set'> {
  return {
    'settings.get': async () => settingsOf(ctx),
    'settings.set': async ({ signalingUrls, theme, allowInsecureRemote, relayOnly, linkIdleCloseMs, sendReadReceipts, voice, ...files }) => {
      const open = ctx.open();
      if (signalingUrls !== undefined) {
        // INFR-04: ws:// to another machine only with the switch on (the one sent now, else the stored one).
        const allow = allowInsecureRemote ?? open.vault.settings.get('network.allowInsecureRemote');
        for (const url of signalingUrls) {
          const problem = signalingUrlProblem(url, { allowInsecureRemote: allow });
          if (problem !== null) throw new SettingsError('INVALID_SETTING', problem);
        }
      }
      // FILE-03: a downloads folder that cannot be written to is refused before anything is stored.
      applyFileSettings(open.vault, files);
      if (theme !== undefined) open.vault.settings.set('appearance.theme', theme);
      if (relayOnly !== undefined) open.vault.settings.set('network.relayOnly', relayOnly);
      if (linkIdleCloseMs !== undefined) open.vault.settings.set('links.idleCloseMs', linkIdleCloseMs);
      if (sendReadReceipts !== undefined) open.vault.settings.set('privacy.sendReadReceipts', sendReadReceipts);
      if (voice !== undefined) open.vault.settings.set('voice.preferences', voice);
      if (allowInsecureRemote !== undefined) open.vault.settings.set('network.allowInsecureRemote', allowInsecureRemote);
      if (signalingUrls !== undefined) {
        // The user chose servers: this run's override (if any) ends. Storing them makes the core
        // compare its server list again and move to the new servers if they differ.
        open.signaling.override = null;
        open.vault.settings.set('network.signalingUrls', signalingUrls);
      }
      return settingsOf(ctx);
    },
  };
}

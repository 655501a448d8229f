import type { SettingsStore } from '@discordopus/core';

/**
 * The vault's settings as the network sees them for this run: the same store, except that the
 * signaling server list is `urls()` while that is not null (the launcher's `--server` flag or
 * its embedded server), without writing anything to the profile.
 */
export function settingsWithSignalingOverride(settings: SettingsStore, urls: () => readonly string[] | null): SettingsStore {
  return new Proxy(settings, {
    get(target, property) {
      if (property === 'get') {
        return (key: Parameters<SettingsStore['get']>[0]) => {
          const override = key === 'network.signalingUrls' ? urls() : null;
          return override === null ? target.get(key) : [...override];
        };
      }
      const value: unknown = Reflect.get(target, property, target);
      // Methods run on the real store: its private fields are not reachable through a proxy.
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}

import { normalizeDisplayName, SETTINGS } from '@discordopus/core';
import { displayNameSchema, downloadsDirSchema, fileBytesSettingSchema, linkIdleCloseMsSchema } from '@discordopus/protocol/bridge';
import { describe, expect, it } from 'vitest';

/**
 * The bridge checks some values before they reach the core, so that the window can say what is
 * wrong while the user types. Those rules are written twice (protocol cannot import the core):
 * this test fails when they drift apart.
 */
function coreAccepts(check: () => unknown): boolean {
  try {
    check();
    return true;
  } catch {
    return false;
  }
}

describe('bridge rules agree with the vault (P2P-01, P2P-05, FILE-03)', () => {
  it('P2P-05: a display name the bridge accepts is one the vault accepts, and the reverse', () => {
    const names = [
      'Alice', '  Bob  ', 'Zoë 🌻', '😀'.repeat(64), '😀'.repeat(65), 'x'.repeat(64), 'x'.repeat(65), '', '   ',
      '\u200b', '\u200b\u200d', '\u3164', 'Al\u0007ice', 'Al\nice', 'tab\there', 'Bob\u202Etxt.exe', 'iso\u2066late', 'a\u2028b',
      'e\u0301', 'e\u0301'.repeat(64), 'e\u0301'.repeat(65), '\u00a0Ann\u00a0', 'ｆｕｌｌ',
    ];
    for (const name of names) {
      expect({ name, bridge: displayNameSchema.safeParse(name).success }).toEqual({ name, bridge: coreAccepts(() => normalizeDisplayName(name)) });
    }
  });

  it('P2P-01: the idle close time the bridge accepts is the one the vault stores', () => {
    const core = SETTINGS['links.idleCloseMs'].schema;
    for (const value of [0, 29_999, 30_000, 300_000, 86_400_000, 86_400_001, 60_000.5, -1]) {
      expect({ value, bridge: linkIdleCloseMsSchema.safeParse(value).success }).toEqual({ value, bridge: core.safeParse(value).success });
    }
    expect(linkIdleCloseMsSchema.safeParse(SETTINGS['links.idleCloseMs'].default).success).toBe(true);
  });

  it('FILE-03: the file sizes the bridge accepts are the ones the vault stores; a downloads folder it accepts fits the vault', () => {
    for (const key of ['files.maxReceiveBytes', 'files.autoAcceptVerifiedMaxBytes'] as const) {
      const core = SETTINGS[key].schema;
      for (const value of [0, 1, 4 * 1024 ** 3, 2 ** 40, 2 ** 40 + 1, -1, 1.5]) {
        expect({ key, value, bridge: fileBytesSettingSchema.safeParse(value).success }).toEqual({ key, value, bridge: core.safeParse(value).success });
      }
      expect(fileBytesSettingSchema.safeParse(SETTINGS[key].default).success).toBe(true);
    }
    for (const dir of ['/a', `/${'x'.repeat(4095)}`, `/${'x'.repeat(4096)}`]) {
      if (downloadsDirSchema.safeParse(dir).success) expect(SETTINGS['files.downloadsDir'].schema.safeParse(dir).success, dir).toBe(true);
    }
  });
});

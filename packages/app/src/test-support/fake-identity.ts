import { DiscordOpusError, bytesToHex, encodeUserId } from '@discordopus/protocol';
import { ed25519 } from '@noble/curves/ed25519.js';
import type { Contact } from '@discordopus/protocol/bridge';
import { base64ToBytes } from '../lib/base64';

/** The fake core's keys, contacts and backup file (split out of fake-core.ts; fake-core re-exports them). */

/**
 * A real Ed25519 public key made from a seed byte: the real core refuses IDs whose key is not a
 * usable point (CONTACT_KEY_UNUSABLE, INFR-04), so the fake's keys must be real ones too.
 */
export function fakeKey(seed: number): Uint8Array {
  return ed25519.getPublicKey(new Uint8Array(32).fill(seed));
}

export const FAKE_OWN_KEY = fakeKey(1);

/** What the fake's exported backup file holds (the real one is encrypted; this one is JSON). */
interface FakeBackup {
  format: 'fake-dopus-backup';
  publicKey: string;
  displayName: string;
  passphrase: string;
}

/** A backup file as FakeCore exports it, for tests that upload one. */
export function fakeBackupBytes(input: { displayName: string; passphrase: string; ownKey?: Uint8Array }): Uint8Array<ArrayBuffer> {
  const backup: FakeBackup = {
    format: 'fake-dopus-backup',
    publicKey: bytesToHex(input.ownKey ?? FAKE_OWN_KEY),
    displayName: input.displayName,
    passphrase: input.passphrase,
  };
  return new TextEncoder().encode(JSON.stringify(backup));
}

export function readFakeBackup(base64: string): FakeBackup {
  try {
    const value = JSON.parse(new TextDecoder().decode(base64ToBytes(base64))) as Partial<FakeBackup>;
    if (value.format === 'fake-dopus-backup' && typeof value.publicKey === 'string' && typeof value.displayName === 'string' && typeof value.passphrase === 'string') {
      return value as FakeBackup;
    }
  } catch {
    // fall through: not a backup
  }
  throw new DiscordOpusError('BACKUP_INVALID', 'This is not a DiscordOpus identity backup.');
}

export function fakeUserId(seed: number): string {
  return encodeUserId(fakeKey(seed));
}

export function fakeContact(seed: number, overrides: Partial<Contact> = {}): Contact {
  const key = fakeKey(seed);
  return {
    publicKey: bytesToHex(key),
    userId: encodeUserId(key),
    nickname: null,
    displayName: null,
    verified: false,
    onlineStatus: 'unknown',
    lastSeenAt: null,
    addedAt: 1_767_225_600_000 + seed,
    ...overrides,
  };
}

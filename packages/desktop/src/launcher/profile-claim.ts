import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ProfileLock } from '@discordopus/core';
import { DiscordOpusError } from '@discordopus/protocol';
import { z } from 'zod';

/** Held by the launcher that has the profile open, from launch to exit (beside the vault's `profile.lock`). */
export const LAUNCHER_LOCK_FILE = 'launcher.lock';
/** Who holds it: written by the holder, read by a second launcher to say which process that is. */
export const LAUNCHER_INFO_FILE = 'launcher.json';

const infoSchema = z.object({ pid: z.number().int().positive(), startedAt: z.iso.datetime() }).strict();
export type LauncherInfo = z.infer<typeof infoSchema>;

export class ProfileOpenError extends DiscordOpusError<'PROFILE_IN_USE'> {
  readonly holder: LauncherInfo | null;

  constructor(profile: string, holder: LauncherInfo | null) {
    const who = holder === null ? 'another DiscordOpus' : `another DiscordOpus (process ${holder.pid}, started ${holder.startedAt})`;
    super(
      'PROFILE_IN_USE',
      `Profile ${profile} is already open in ${who}. Use that window, or quit it (close its window or press Ctrl-C in its terminal) and launch again.`,
    );
    this.holder = holder;
  }
}

export interface ProfileClaim {
  release(): void;
}

/**
 * VAULT-04 at launch (issue 15, item 1): the launcher claims the profile folder before it starts
 * a bridge or opens a window, and keeps the claim until it exits. A second launcher on the same
 * profile stops at once with PROFILE_IN_USE naming the process that has it, instead of handing a
 * window to the running browser (which showed "This site can't be reached") or, without a
 * window, failing only after the passphrase was typed. The claim is an OS lock (ProfileLock), so
 * a crashed launcher leaves nothing stale behind.
 */
export function claimProfile(options: { profile: string; dir: string; now?: () => number; pid?: number }): ProfileClaim {
  mkdirSync(options.dir, { recursive: true, mode: 0o700 });
  let lock: ProfileLock;
  try {
    lock = ProfileLock.acquire(options.dir, LAUNCHER_LOCK_FILE);
  } catch (err) {
    if (err instanceof DiscordOpusError && err.code === 'PROFILE_IN_USE') throw new ProfileOpenError(options.profile, readHolder(options.dir));
    throw err;
  }
  const infoPath = join(options.dir, LAUNCHER_INFO_FILE);
  const info: LauncherInfo = { pid: options.pid ?? process.pid, startedAt: new Date((options.now ?? Date.now)()).toISOString() };
  writeFileSync(infoPath, `${JSON.stringify(info)}\n`, { mode: 0o600 });
  let held = true;
  return {
    release() {
      if (!held) return;
      held = false;
      rmSync(infoPath, { force: true });
      lock.release();
    },
  };
}

function readHolder(dir: string): LauncherInfo | null {
  try {
    const parsed = infoSchema.safeParse(JSON.parse(readFileSync(join(dir, LAUNCHER_INFO_FILE), 'utf8')));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

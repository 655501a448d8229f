import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ProfileLock } from '@discordopus/core';
import { DiscordOpusError } from '@discordopus/protocol';
import { z } from 'zod';

/** In the home folder: which port this home's embedded server listens on, and who runs it. */
export const EMBEDDED_SERVER_FILE = 'embedded-server.json';
/** Held (an OS lock) by the launcher that runs this home's embedded server, for as long as it runs it. */
export const EMBEDDED_SERVER_LOCK = 'embedded-server.lock';

const entrySchema = z.object({ port: z.number().int().min(1).max(65535), pid: z.number().int().positive() }).strict();
export type EmbeddedServerEntry = z.infer<typeof entrySchema>;

export interface RunnerClaim {
  /** Name the port the server listens on, for the other launchers of this home. */
  announce(port: number): void;
  /** Forget the entry and let another launcher run the server. */
  release(): void;
}

/**
 * How the launchers of one home folder agree on one embedded server (issue 15, item 3): the one
 * that runs it holds `embedded-server.lock` and names its port in `embedded-server.json`; the
 * others read the port there (and then ask the server on it who it is). The lock is an OS lock,
 * dropped by the kernel when the runner dies, so a crashed launcher never blocks the next one.
 */
export class EmbeddedServerRegistry {
  readonly #home: string;
  readonly #pid: number;

  constructor(options: { home: string; pid?: number }) {
    this.#home = options.home;
    this.#pid = options.pid ?? process.pid;
  }

  /** Become the runner, or null when another launcher is (or is becoming) it. */
  claim(): RunnerClaim | null {
    mkdirSync(this.#home, { recursive: true, mode: 0o700 });
    let lock: ProfileLock;
    try {
      lock = ProfileLock.acquire(this.#home, EMBEDDED_SERVER_LOCK);
    } catch (err) {
      if (err instanceof DiscordOpusError && err.code === 'PROFILE_IN_USE') return null;
      throw err;
    }
    const file = join(this.#home, EMBEDDED_SERVER_FILE);
    let held = true;
    return {
      announce: (port) => {
        if (held) writeFileSync(file, `${JSON.stringify({ port, pid: this.#pid })}\n`, { mode: 0o600 });
      },
      release: () => {
        if (!held) return;
        held = false;
        rmSync(file, { force: true });
        lock.release();
      },
    };
  }

  /** The runner's entry, or null (none yet, or unreadable: never trusted beyond its shape). */
  read(): EmbeddedServerEntry | null {
    try {
      const parsed = entrySchema.safeParse(JSON.parse(readFileSync(join(this.#home, EMBEDDED_SERVER_FILE), 'utf8')));
      return parsed.success ? parsed.data : null;
    } catch {
      return null;
    }
  }
}

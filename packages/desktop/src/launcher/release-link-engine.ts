import { shutdownLinkEngine } from '@discordopus/core';

/**
 * Release the direct-link engine (node-datachannel) before the process exits, as ARCHITECTURE's
 * "process hygiene" asks; never wait on it for more than `limitMs` (the exit must not hang).
 */
export async function releaseLinkEngine(limitMs = 2_000): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const limit = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, limitMs);
    timer.unref();
  });
  await Promise.race([shutdownLinkEngine().catch(() => undefined), limit]);
  clearTimeout(timer);
}

import { freePort, type ListeningProcess, startSignalingProcess, waitFor } from '@discordopus/test-support';

export { freePort, waitFor };

export type ServerProcess = ListeningProcess & { url: string };

/**
 * Start the real signaling server CLI as its own process on 127.0.0.1:`port` and wait until it
 * accepts connections. Extra CLI flags can be given (e.g. a presence grace period).
 */
export function startServerProcess(port: number, extraArgs: string[] = [], timeoutMs = 20_000): Promise<ServerProcess> {
  return startSignalingProcess({ port, flags: extraArgs, timeoutMs });
}

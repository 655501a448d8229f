import { startSignalingServer, type RunningServer, type ServerConfigInput, type ServerDeps } from '../../src/index';

/** Settings for tests: loopback, a free port, no grace period, silent logs. */
export const TEST_CONFIG: Partial<ServerConfigInput> = {
  host: '127.0.0.1',
  port: 0,
  offlineGraceMs: 0,
  logLevel: 'silent',
};

export function startTestServer(config: Partial<ServerConfigInput> = {}, deps: Partial<ServerDeps> = {}): Promise<RunningServer> {
  return startSignalingServer({ ...TEST_CONFIG, ...config }, { processMetrics: false, ...deps });
}

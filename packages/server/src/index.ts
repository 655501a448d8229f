export { startSignalingServer, type RunningServer, type ServerDeps } from './server';
export { type Clock, systemClock } from './clock/clock';
export {
  serverConfigSchema,
  parseServerConfig,
  ConfigError,
  type ConfigIssue,
  formatConfigIssues,
  CONFIG_KEYS,
  type ServerConfig,
  type ServerConfigInput,
  type ServerConfigKey,
} from './config/config';
export { readConfigSources, describeForCli, flagName, envName } from './config/cli-args';
export { canonicalServerId } from '@discordopus/protocol';
export type { Backplane, BackplaneHandlers, BackplaneMessage, BackplaneEnvelope, PresenceRecord } from './backplane/backplane';
export { MemoryBackplane, MemoryBus } from './backplane/memory-backplane';
export { RedisBackplane, type RedisBackplaneOptions } from './backplane/redis-backplane';
export { turnCredential, iceServersFor, type TurnCredential } from './turn/turn-credentials';
export { createLogger, type Logger } from './logging/logger';
export { ServerMetrics } from './metrics/metrics';

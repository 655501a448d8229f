export { startBridgeServer, BRIDGE_PATH, BRIDGE_CLOSE_BAD_FRAMES, type BridgeServer, type BridgeServerOptions } from './bridge-server';
export { BRIDGE_SUBPROTOCOL, TOKEN_SUBPROTOCOL_PREFIX, createBridgeToken } from './bridge-token';
export { LaunchCodes, DEFAULT_LAUNCH_CODE_TTL_MS } from './launch-codes';
export { type BridgeLogger, silentBridgeLogger } from './bridge-logger';
export { contentSecurityPolicy } from './content-security-policy';
export { BUILT_APP_DIR, builtAppDir } from './app-files';
export type { BridgeHandlers } from '@discordopus/protocol/bridge';

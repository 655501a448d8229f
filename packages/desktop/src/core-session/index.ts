export { CoreSession, type CoreSessionOptions, type BridgeEventListener } from './core-session';
export { CoreSessionError, type CoreSessionErrorCode } from './core-session-error';

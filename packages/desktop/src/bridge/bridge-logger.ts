/** The logger the bridge server writes to (injected; one line per lifecycle transition). */
export interface BridgeLogger {
  info(message: string, context?: Record<string, unknown>): void;
  warn(message: string, context?: Record<string, unknown>): void;
  debug(message: string, context?: Record<string, unknown>): void;
}

export const silentBridgeLogger: BridgeLogger = {
  info: () => {},
  warn: () => {},
  debug: () => {},
};

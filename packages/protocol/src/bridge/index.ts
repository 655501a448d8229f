/**
 * The local bridge contract between the app (browser) and the core (Node): every call and
 * event as a zod schema, defined once and used by both sides (UI-01, UI-02, CONT-01..05,
 * PRES-01, IDEN-01..03). Frames: `call` (app → core), `result` and `event` (core → app).
 */
export * from './primitives';
export * from './signaling-url';
export * from './models';
export * from './message-models';
export * from './message-calls';
export * from './message-events';
export * from './bridge-calls';
export * from './request-calls';
export * from './call-calls';
export * from './file-calls';
export * from './bridge-events';
export * from './frames';
export * from './parse';
export * from './bridge-error';
export * from './dispatch';
export * from './read-core-frame';
export * from './bridge-transport';

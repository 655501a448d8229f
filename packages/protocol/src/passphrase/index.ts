/**
 * `@discordopus/protocol/passphrase`: the shared passphrase estimator. A subpath of its own so
 * that its dictionaries (about 1.5 MB of JavaScript) load only where a passphrase is judged: the
 * app imports it lazily for its meter, the core when a vault is created or re-keyed.
 */
export * from './passphrase-estimator';
export * from './passphrase-limits';

export { Identity, normalizeDisplayName, DISPLAY_NAME_MAX } from './identity/identity';
export { IdentityError, type IdentityErrorCode } from './identity/identity-error';
export {
  generateKeyPair,
  keyPairFromSeed,
  signForPurpose,
  verifyForPurpose,
  publicKeyObject,
  privateKeyFromSeed,
  SEED_BYTES,
  SIGNATURE_BYTES,
  type RawKeyPair,
} from './identity/ed25519';
export { Vault, DB_FILE_NAME, type VaultCreateOptions, type VaultUnlockOptions, type VaultRestoreOptions, type VaultCommonOptions } from './vault/vault';
export { VaultError, type VaultErrorCode } from './vault/vault-error';
export { ProfileLock, LOCK_FILE_NAME } from './vault/profile-lock';
export { DEFAULT_SCRYPT, TEST_ONLY_CHEAP_SCRYPT, type ScryptParams } from './vault/kdf';
export {
  passphraseStrength,
  assertAcceptablePassphrase,
  PASSPHRASE_MIN_LENGTH,
  PASSPHRASE_MAX_LENGTH,
  type PassphraseStrength,
} from './vault/passphrase-policy';
export { SCHEMA_VERSION } from './vault/migrations/index';
export {
  profileDir,
  dataHome,
  isValidProfileName,
  assertValidProfileName,
  DEFAULT_PROFILE_NAME,
  HOME_ENV_VAR,
  type ProfileLocation,
} from './profile/profile-paths';
export {
  ContactsStore,
  ONLINE_STATUSES,
  normalizeNickname,
  type Contact,
  type ProfileCardApplied,
  type OnlineStatus,
  type ContactsEvents,
  type ContactsChangeReason,
} from './contacts/contacts-store';
export { ContactError, type ContactErrorCode } from './contacts/contact-error';
export * from './contact-requests';
export { SettingsStore, type SettingsEvents, type SettingProblem } from './settings/settings-store';
export {
  SETTINGS,
  SETTING_KEYS,
  isSettingKey,
  type SettingKey,
  type SettingValue,
  type SettingsSnapshot,
  type SettingChange,
} from './settings/settings-schema';
export { SettingsError, type SettingsErrorCode } from './settings/settings-error';
export { BACKUP_MAX_BYTES, BACKUP_FORMAT, BACKUP_VERSION } from './backup/identity-backup';
export { ClientCore, type ClientCoreParts, type SignalingServers } from './client/client-core';
export { createClientCore, type ClientCoreOptions, type ClientLinkOptions, type UnlockedVault } from './client/create-client-core';
export type { LinkPart, LinkPorts } from './client/client-links';
/** The real link engine's factory: tests wrap it to inject failures (a dropped connection). */
export { createNdcTransport, shutdownLinkEngine } from './links/engine/ndc-transport';
export type { MessageTunables } from './client/client-messages';
export { CallLogStore } from './calls/call-log-store';
export { CallLogError, type CallLogErrorCode } from './calls/call-log-error';
export { ClientCalls, CallWireError, type CallWireErrorCode, type CallWireRefusals } from './client/client-calls';
export { MessageError, type MessageErrorCode } from './messages/message-error';
export { FileTransferError, type FileTransferErrorCode } from './files/file-transfer-error';
export type { FileTransferRecord, TransferState, TransferDirection } from './files/file-store';
export { defaultDownloadsDir } from './files/download-folder';
export type { StoredMessage, HistoryPage, ConversationSummary, MessageState, Reaction } from './messages/message-types';
export { ClientCoreError, type ClientCoreErrorCode } from './client/client-core-error';
export type {
  ClientCoreEvents,
  ContactsView,
  SendSignalResult,
  SignalHandler,
  LinkChange,
  LinkSecurityWarning,
  OpenLinkResult,
  MessageReceipt,
} from './client/client-core-events';
export type { IceConfiguration, IceServer } from './ice/ice-config';
export type { ConnectionStatus, ConnectionState } from './signaling/signaling-events';
export { type Logger, silentLogger } from './logging/logger';

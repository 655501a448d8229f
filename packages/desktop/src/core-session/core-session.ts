import {
  type ClientCore,
  type ClientCoreOptions,
  ContactError,
  createClientCore,
  type Logger,
  type ScryptParams,
  type SettingChange,
  silentLogger,
  Vault,
  VaultError,
} from '@discordopus/core';
import { formatSafetyNumber, hexToBytes, safetyNumber } from '@discordopus/protocol';
import {
  BRIDGE_LIMITS,
  type BridgeEventName,
  type BridgeEventPayload,
  type BridgeHandlers,
  type Identity,
  type LinkStatus,
  type SecurityWarning,
  type Session,
  type Settings,
} from '@discordopus/protocol/bridge';
import { connectionForBridge, contactForBridge, identityOf, linkForBridge, SETTINGS_SHOWN } from './bridge-mapping';
import { CoreSessionError, openRefusal } from './core-session-error';
import { forwardMessageEvents, messageHandlers } from './message-handlers';
import { callHandlers, forwardCallEvents } from './call-handlers';
import { PassphraseCheck } from './passphrase-check';
import { FileBridge, fileHandlers } from './files/file-bridge';
import { platformFolderOpener, type FolderOpener } from './files/folder-opener';
import { type SettingsContext, settingsHandlers, settingsOf } from './settings-handlers';
import { requestHandlers, requestsForBridge, requireRequests } from './request-handlers';

export type BridgeEventListener = <E extends BridgeEventName>(event: E, payload: BridgeEventPayload<E>) => void;

export interface CoreSessionOptions {
  /** Shown on the unlock screen. */
  profileName: string;
  /** The profile folder (`profileDir()`). */
  dir: string;
  /**
   * Which signaling servers this run uses, decided once the vault is open: the launcher's
   * `--server`, or the URL of the embedded server it started because the profile has none of
   * its own. null: the profile's setting. Never written to the profile.
   */
  signalingOverride?: (vault: Vault) => Promise<readonly string[] | null>;
  /** While the override is in force: a sentence about it the UI shows (the embedded server's moved port), or null. */
  signalingNote?: () => string | null;
  /** scrypt cost of new vaults and backups; tests use a cheap one. Default: the vault's. */
  kdf?: ScryptParams;
  logger?: Logger;
  /** The clock for the times the session stamps (security warnings). Default Date.now. */
  now?: () => number;
  /** FILE-03 "Open folder": shows a folder in the file manager (tests record the call). Default: the platform's opener. */
  openFolder?: FolderOpener;
  /** Passed to the client core (tests: reconnect policy, clock). */
  network?: Omit<ClientCoreOptions, 'vault' | 'logger' | 'signalingUrls'>;
}

interface OpenProfile {
  vault: Vault;
  check: PassphraseCheck;
  core: ClientCore;
  /** FILE-01..03: uploads from the window and the file calls and events. */
  files: FileBridge;
  /** This run's server list, or null for the profile's setting; read by the core on every connect. */
  signaling: { override: readonly string[] | null };
  /** P2P-02: this run's security warnings by contact, until the user dismisses them. */
  warnings: Map<string, SecurityWarning>;
  unsubscribe: (() => void)[];
}

/**
 * The core behind the local bridge for one profile folder (UI-01, UI-02, IDEN-01..03,
 * CONT-01..05, PRES-01, PRES-02): no profile yet, locked, or unlocked with its vault open and
 * its client core running. Implements every bridge call and turns the vault's and the
 * core's events into bridge events. Profile operations (create, unlock, restore, passphrase
 * change, close) run one at a time.
 */
export class CoreSession {
  readonly #opts: CoreSessionOptions;
  readonly #log: Logger;
  readonly #listeners = new Set<BridgeEventListener>();
  #open: OpenProfile | null = null;
  #queue: Promise<unknown> = Promise.resolve();
  #closed = false;

  constructor(options: CoreSessionOptions) {
    this.#opts = options;
    this.#log = (options.logger ?? silentLogger).child({ component: 'core-session' });
  }

  /** Where the session is now (no-profile, locked, unlocked). */
  get session(): Session {
    const state = this.#open !== null ? 'unlocked' : Vault.exists(this.#opts.dir) ? 'locked' : 'no-profile';
    return { state, profileName: this.#opts.profileName };
  }

  /** The open vault, or null while locked. */
  get vault(): Vault | null {
    return this.#open?.vault ?? null;
  }

  /** The running client core, or null while locked (tests read its request and link counters). */
  get core(): ClientCore | null {
    return this.#open?.core ?? null;
  }

  /** The signaling servers in force (the override for this run, else the profile's setting). */
  get signalingUrls(): readonly string[] | null {
    const open = this.#open;
    return open === null ? null : (open.signaling.override ?? open.vault.settings.get('network.signalingUrls'));
  }

  /** Subscribe to the bridge events this core announces; returns the unsubscribe function. */
  onEvent(listener: BridgeEventListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Stop the client core and close the vault. Idempotent; later calls fail with SESSION_CLOSED. */
  async close(): Promise<void> {
    if (this.#closed) return this.#queue.then(() => undefined);
    this.#closed = true;
    await this.#exclusive(async () => {
      const open = this.#open;
      if (open === null) return;
      this.#open = null;
      await open.files.close();
      this.#stopCore(open);
      open.vault.close();
      this.#log.info({}, 'profile closed');
    }, { evenWhenClosed: true });
  }

  readonly handlers: BridgeHandlers = {
    'session.state': async () => this.session,

    'profile.create': ({ displayName, passphrase }) =>
      this.#exclusive(async () => {
        if (this.#open !== null || Vault.exists(this.#opts.dir)) throw VaultError.exists(this.#opts.dir);
        const vault = await Vault.create({ dir: this.#opts.dir, displayName, passphrase, ...this.#vaultOptions() });
        return this.#opened(vault, passphrase);
      }),

    'profile.unlock': ({ passphrase }) =>
      this.#exclusive(async () => {
        const open = this.#open;
        if (open !== null) {
          // A second window (or a reload) of an open profile: the passphrase must still be right.
          if (!open.check.matches(passphrase)) throw VaultError.wrongPassphrase();
          return identityOf(open.vault);
        }
        const vault = await Vault.unlock({ dir: this.#opts.dir, passphrase, ...this.#vaultOptions(false) });
        return this.#opened(vault, passphrase);
      }),

    'profile.restore': ({ backupBase64, backupPassphrase, passphrase, displayName }) =>
      this.#exclusive(async () => {
        if (this.#open !== null || Vault.exists(this.#opts.dir)) throw VaultError.exists(this.#opts.dir);
        const vault = await Vault.restoreFromBackup({
          dir: this.#opts.dir,
          backupBytes: new Uint8Array(Buffer.from(backupBase64, 'base64')),
          backupPassphrase,
          passphrase,
          ...this.#vaultOptions(),
        });
        if (displayName !== undefined) vault.setDisplayName(displayName);
        return this.#opened(vault, passphrase);
      }),

    'profile.exportBackup': async ({ passphrase }) => {
      const open = this.#require();
      if (!open.check.matches(passphrase)) throw VaultError.wrongPassphrase();
      const bytes = await open.vault.exportBackup(passphrase, this.#opts.kdf ? { kdf: this.#opts.kdf } : {});
      return { fileName: `${this.#opts.profileName}.dopus-backup`, backupBase64: Buffer.from(bytes).toString('base64') };
    },

    'profile.changePassphrase': ({ current, next }) =>
      this.#exclusive(async () => {
        const open = this.#require();
        await open.vault.changePassphrase(current, next);
        open.check.replace(next);
        return null;
      }),

    'identity.get': async () => identityOf(this.#require().vault),
    'profile.setDisplayName': async ({ displayName }) => {
      const { core, vault } = this.#require();
      // P2P-05: stored in the vault, and the new signed card goes to every open link at once.
      core.setDisplayName(displayName);
      return identityOf(vault);
    },

    'links.list': async () => {
      const open = this.#require();
      const links = open.core.links().filter((link) => link.state !== 'closed').map(linkForBridge);
      return { links, warnings: [...open.warnings.values()] };
    },
    'links.open': async ({ publicKey, intent }) => {
      const { core, vault } = this.#require();
      if (vault.contacts.get(publicKey) === null) throw ContactError.notFound();
      // PRES-01: an open without an intent is the app's own ('auto'); only 'user' reveals an invisible user.
      const opened = core.openLink(publicKey, { intent: intent ?? 'auto' });
      if (!opened.ok) throw openRefusal(opened);
      return this.#linkOf(core, publicKey);
    },
    'links.dismissWarning': async ({ publicKey }) => {
      const session = this.#require();
      session.warnings.delete(publicKey);
      session.core.acknowledgeSecurityWarning(publicKey);
      return null;
    },

    'contacts.list': async () => ({ contacts: this.#contacts() }),
    'contacts.add': async ({ userId, nickname, note }) =>
      contactForBridge(requireRequests(this.#require().core.requests).addContact(userId, { nickname: nickname ?? null, note: note ?? '' })),
    ...requestHandlers(() => requireRequests(this.#require().core.requests)),
    'contacts.remove': async ({ publicKey }) => {
      this.#require().vault.contacts.remove(publicKey);
      return null;
    },
    'contacts.rename': async ({ publicKey, nickname }) => contactForBridge(this.#require().vault.contacts.setNickname(publicKey, nickname)),
    'contacts.setVerified': async ({ publicKey, verified }) =>
      contactForBridge(this.#require().vault.contacts.setVerified(publicKey, verified)),
    'contacts.safetyNumber': async ({ publicKey }) => {
      const { vault } = this.#require();
      if (vault.contacts.get(publicKey) === null) throw ContactError.notFound();
      const digits = safetyNumber(vault.identity.publicKey, hexToBytes(publicKey));
      return { digits, groups: formatSafetyNumber(digits) };
    },

    'presence.setStatus': async ({ status }) => {
      const { core } = this.#require();
      core.setStatus(status);
      return { status: core.status };
    },
    'presence.status': async () => ({ status: this.#require().core.status }),

    'connection.state': async () => connectionForBridge(this.#require().core.connection),
    'connection.retryNow': async () => {
      this.#require().core.retryNow();
      return null;
    },

    ...settingsHandlers(this.#settingsContext),

    ...messageHandlers(() => this.#require().core),
    ...callHandlers(() => this.#require(), (event, payload) => this.#emit(event, payload), () => (this.#opts.now ?? Date.now)()),
    ...fileHandlers(() => this.#require().files),
  };

  async #opened(vault: Vault, passphrase: string): Promise<Identity> {
    let override: readonly string[] | null = null;
    try {
      override = (await this.#opts.signalingOverride?.(vault)) ?? null;
    } catch (err) {
      vault.close();
      throw err;
    }
    const signaling = { override };
    const unsubscribe: (() => void)[] = [];
    const warnings = new Map<string, SecurityWarning>();
    const core = this.#startCore(vault, signaling, warnings, unsubscribe);
    const files = this.#fileBridge(core, vault);
    // Open before the first await: the core's and the vault's events from now on reach the window.
    const open: OpenProfile = { vault, check: new PassphraseCheck(passphrase), core, files, signaling, warnings, unsubscribe };
    this.#open = open;
    try {
      await files.start();
    } catch (err) {
      // Nothing half-open stays behind: the core stops and the vault (and its lock) closes.
      this.#open = null;
      await files.close().catch(() => undefined);
      this.#stopCore(open);
      vault.close();
      throw err;
    }
    this.#log.info({ profile: this.#opts.profileName, override: override !== null }, 'profile open');
    this.#emit('session.changed', this.session);
    return identityOf(vault);
  }

  /** A started client core whose events (and the vault's) become bridge events; its unsubscribers go to `unsubscribe`. */
  #startCore(vault: Vault, signaling: OpenProfile['signaling'], warnings: OpenProfile['warnings'], unsubscribe: (() => void)[]): ClientCore {
    const core = createClientCore({
      ...this.#opts.network,
      vault,
      signalingUrls: () => signaling.override,
      logger: this.#log,
    });
    unsubscribe.push(
      core.on('connectionChanged', (status) => this.#emit('connection.changed', connectionForBridge(status))),
      vault.contacts.on('changed', ({ reason, publicKey }) => {
        // One contact's presence goes out as presence.changed (from the core); everything else as the whole list.
        if (reason === 'presence' && publicKey !== null) return;
        this.#emit('contacts.changed', { contacts: this.#contacts() });
      }),
      core.on('presenceChanged', (e) => this.#emit('presence.changed', e)),
      core.on('statusChanged', ({ status }) => this.#emit('status.changed', { status })),
      core.on('linkChanged', (link) => this.#emit('links.changed', linkForBridge(link))),
      ...(core.requests ? [core.requests.on('changed', () => this.#emit('requests.changed', requestsForBridge(requireRequests(core.requests).overview())))] : []),
      core.on('linkSecurityWarning', ({ publicKey, code, reason }) => {
        const warning: SecurityWarning = { publicKey, code, reason: reason.slice(0, BRIDGE_LIMITS.reasonChars), at: (this.#opts.now ?? Date.now)() };
        warnings.set(publicKey, warning);
        this.#log.warn({ code }, 'a link failed authentication');
        this.#emit('security.warning', warning);
      }),
      ...forwardMessageEvents(core, (event, payload) => this.#emit(event, payload)),
      ...forwardCallEvents(core, (event, payload) => this.#emit(event, payload)),
      vault.settings.on('changed', (change: SettingChange) => {
        if (SETTINGS_SHOWN.has(change.key)) {
          this.#emit('settings.changed', this.#settings());
        }
      }),
    );
    core.start();
    return core;
  }

  /** FILE-01..03: the file calls and events of this profile (its start() removes staged uploads no transfer needs). */
  #fileBridge(core: ClientCore, vault: Vault): FileBridge {
    const { dir: profileDir, openFolder = platformFolderOpener(), now = Date.now } = this.#opts;
    return new FileBridge({ core, vault, profileDir, emit: (event, payload) => this.#emit(event, payload), openFolder, now, logger: this.#log });
  }

  #stopCore(open: OpenProfile): void {
    for (const off of open.unsubscribe.splice(0)) off();
    open.core.stop();
  }

  #settings(): Settings {
    return settingsOf(this.#settingsContext);
  }

  get #settingsContext(): SettingsContext {
    return { open: () => this.#require(), signalingNote: () => this.#opts.signalingNote?.() ?? null, homeDir: () => this.#opts.network?.files?.homeDir };
  }

  /** The link to a contact now; a contact without one shows as closed. */
  #linkOf(core: ClientCore, publicKey: string): LinkStatus {
    const link = core.links().find((l) => l.publicKey === publicKey);
    return link === undefined ? { publicKey, state: 'closed', reason: null, path: null, rttMs: null } : linkForBridge(link);
  }

  #contacts() {
    return this.#require().vault.contacts.list().map(contactForBridge);
  }

  #require(): OpenProfile {
    if (this.#closed) throw CoreSessionError.closed();
    if (this.#open === null) throw VaultError.closed();
    return this.#open;
  }

  #vaultOptions(withKdf = true) {
    return {
      logger: this.#log,
      ...(withKdf && this.#opts.kdf ? { kdf: this.#opts.kdf } : {}),
    };
  }

  #emit<E extends BridgeEventName>(event: E, payload: BridgeEventPayload<E>): void {
    for (const listener of this.#listeners) {
      try {
        listener(event, payload);
      } catch (err) {
        this.#log.error({ err, event }, 'bridge event listener failed');
      }
    }
  }

  /** Run profile operations one after another; a failed one does not block the next. */
  #exclusive<T>(operation: () => Promise<T>, options: { evenWhenClosed?: boolean } = {}): Promise<T> {
    const run = this.#queue.then(() => {
      if (this.#closed && !options.evenWhenClosed) throw CoreSessionError.closed();
      return operation();
    });
    this.#queue = run.catch(() => undefined);
    return run;
  }
}

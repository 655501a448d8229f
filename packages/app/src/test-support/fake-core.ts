import { DEFAULT_SIGNALING_URL, DiscordOpusError, bytesToHex, decodeUserId, encodeUserId, formatSafetyNumber, hexToBytes, publicKeyProblem, safetyNumber } from '@discordopus/protocol';
import { estimatePassphrase } from '@discordopus/protocol/passphrase';
import { bytesToBase64 } from '../lib/base64';
import { FakeMessages, type FakeMessageNetwork } from './fake-messages';
import { FakeCalls } from './fake-calls';
import { FAKE_FILE_SETTINGS, FakeFiles } from './fake-files';
import { fakeRequestHandlers } from './fake-requests';
import { FAKE_OWN_KEY, fakeBackupBytes, fakeContact, fakeKey, readFakeBackup } from './fake-identity';
import type {
  BridgeEventName,
  BridgeEventPayload,
  BridgeHandlers,
  ConnectionInfo,
  Contact,
  LinkStatus,
  OwnStatusValue,
  RequestsOverview,
  SecurityWarning,
  Session,
  Settings,
} from '@discordopus/protocol/bridge';

export { FAKE_OWN_KEY, fakeBackupBytes, fakeContact, fakeKey, fakeUserId } from './fake-identity';

/**
 * An in-memory core that implements the whole bridge contract, for component tests and for
 * looking at the app without the real core. It keeps the rules that the UI depends on (wrong
 * passphrase, duplicate contact, bad user ID) and announces changes as contract events. It runs
 * the same contract suite as the real CoreSession (fake-core.contract.test.ts).
 */
export interface FakeCoreState {
  session: Session['state'];
  profileName: string;
  passphrase: string;
  identity: { userId: string; displayName: string } | null;
  contacts: Contact[];
  status: OwnStatusValue;
  connection: ConnectionInfo;
  settings: Settings;
  /** Links that are not closed (P2P-01). */
  links: LinkStatus[];
  /** This run's security warnings (P2P-02). */
  warnings: SecurityWarning[];
  /** Incoming contact requests and blocked users (CONT-06). */
  requests: RequestsOverview;
}

export type FakeCoreEmit = <E extends BridgeEventName>(event: E, payload: BridgeEventPayload<E>) => void;

export interface FakeCoreOptions {
  state?: Partial<FakeCoreState>;
  now?: () => number;
  /** The public key of the identity this core creates. Default FAKE_OWN_KEY. */
  ownKey?: Uint8Array;
  /** Other fake cores its messages reach (MSG-01); none: sent messages stay queued. */
  network?: FakeMessageNetwork;
}

/** The core's gate: the same shared estimator, the same code (VAULT-01). */
function checkNewPassphrase(passphrase: string, displayName: string): void {
  const estimate = estimatePassphrase(passphrase, { displayName });
  if (!estimate.acceptable) throw new DiscordOpusError('WEAK_PASSPHRASE', `This passphrase is too weak: ${estimate.problems[0]}`);
}

export class FakeCore {
  readonly state: FakeCoreState;
  readonly #now: () => number;
  #ownKey: Uint8Array;
  readonly #listeners = new Set<FakeCoreEmit>();
  /** Every call the app made, in order (method names). */
  readonly calls: string[] = [];
  /** PRES-01: the intent of every `links.open`, in order ('default' when the app gave none). */
  readonly linkIntents: string[] = [];
  /** Direct messages (MSG-01, MSG-03..05), with hooks for what a contact's core would send (before `handlers`, which spreads its own). */
  readonly messages: FakeMessages = new FakeMessages({
    ownKey: () => bytesToHex(this.#ownKey),
    now: () => this.#now(),
    emit: (event, payload) => this.emit(event, payload),
    isContact: (publicKey) => this.state.contacts.some((c) => c.publicKey === publicKey),
    sendReadReceipts: () => this.state.settings.sendReadReceipts ?? true,
    guard: (method) => void this.#log(method, null),
  });
  /** VOICE-02: call frames the app sent; `calls.receive()` plays one arriving from a contact. */
  readonly callWire: FakeCalls = new FakeCalls({
    contacts: () => this.state.contacts,
    emit: (event, payload) => this.emit(event, payload),
    guard: (method) => void this.#log(method, null),
    relayOnly: () => this.state.settings.relayOnly === true,
  });
  /** FILE-01..03: transfers, uploads the window made, hooks for what a contact's core would do. */
  readonly files: FakeFiles = new FakeFiles({
    ownKey: () => bytesToHex(this.#ownKey),
    now: () => this.#now(),
    emit: (event, payload) => this.emit(event, payload),
    isContact: (publicKey) => this.state.contacts.some((c) => c.publicKey === publicKey),
    isVerified: (publicKey) => this.state.contacts.some((c) => c.publicKey === publicKey && c.verified),
    settings: () => this.state.settings,
    guard: (method) => void this.#log(method, null),
  });
  #network: FakeMessageNetwork | undefined;
  /** CONT-06: the note sent with each contact added (by public key). */
  readonly requestNotes = new Map<string, string>();

  constructor(options: FakeCoreOptions = {}) {
    this.#now = options.now ?? (() => Date.now());
    this.#ownKey = options.ownKey ?? FAKE_OWN_KEY;
    this.state = {
      session: 'no-profile',
      profileName: 'default',
      passphrase: '',
      identity: null,
      contacts: [],
      status: 'online',
      connection: { state: 'connected', reason: null, nextRetryAt: null, serverUrl: DEFAULT_SIGNALING_URL },
      settings: { signalingUrls: [DEFAULT_SIGNALING_URL], theme: 'dark', linkIdleCloseMs: 5 * 60_000, sendReadReceipts: true, ...FAKE_FILE_SETTINGS },
      links: [],
      warnings: [],
      requests: { incoming: [], blocked: [] },
      ...options.state,
    };
    this.#network = options.network;
    if (options.network !== undefined) this.messages.useNetwork(options.network);
    if (options.network !== undefined) this.files.useNetwork(options.network);
  }

  /** The same profile after a restart of the core: a new FakeCore, locked, with a copy of this state. */
  restarted(): FakeCore {
    const state = structuredClone(this.state);
    state.session = state.identity === null ? 'no-profile' : 'locked';
    // Links and warnings live as long as the core runs.
    state.links = [];
    state.warnings = [];
    this.#closed = true;
    this.messages.offline();
    this.files.offline();
    const again = new FakeCore({ state, now: this.#now, ownKey: this.#ownKey, ...(this.#network !== undefined ? { network: this.#network } : {}) });
    // The history persists, as in the vault (MSG-01).
    again.messages.restoreFrom(this.messages);
    again.callWire.restoreFrom(this.callWire);
    again.files.restoreFrom(this.files);
    return again;
  }

  #closed = false;

  /** Subscribe to the events this core announces (what a bridge server would broadcast). */
  onEvent(listener: FakeCoreEmit): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  emit<E extends BridgeEventName>(event: E, payload: BridgeEventPayload<E>): void {
    for (const listener of this.#listeners) listener(event, payload);
  }

  /** Change the connection and announce it, as the network layer would. */
  setConnection(connection: ConnectionInfo): void {
    this.state.connection = connection;
    this.emit('connection.changed', connection);
  }

  /** A contact's presence changes, as the signaling server would report it. */
  setPresence(publicKey: string, status: Contact['onlineStatus']): void {
    const lastSeenAt = status === 'offline' ? this.#now() : null;
    this.#update(publicKey, (c) => ({ ...c, onlineStatus: status, lastSeenAt: lastSeenAt ?? c.lastSeenAt }));
    this.emit('presence.changed', { publicKey, status, lastSeenAt });
  }

  /**
   * A contact's link changes, as the link manager would report it (P2P-01, P2P-03). What a real
   * link does on `links.open` is up to the test: the fake only announces what it is told.
   */
  setLink(link: LinkStatus): void {
    this.state.links = [...this.state.links.filter((l) => l.publicKey !== link.publicKey), ...(link.state === 'closed' ? [] : [link])];
    this.emit('links.changed', link);
  }

  /** A link to a contact failed authentication (P2P-02): it closes and the warning stays. */
  raiseSecurityWarning(publicKey: string, reason = 'The contact’s handshake did not match the link.'): void {
    const warning: SecurityWarning = { publicKey, code: 'LINK_AUTH_FAILED', reason, at: this.#now() };
    this.state.warnings = [...this.state.warnings.filter((w) => w.publicKey !== publicKey), warning];
    this.setLink({ publicKey, state: 'closed', reason: 'auth-failed', path: null, rttMs: null });
    this.emit('security.warning', warning);
  }

  /** A contact's signed profile card arrived (P2P-05). */
  setContactDisplayName(publicKey: string, displayName: string | null): void {
    this.#update(publicKey, (c) => ({ ...c, displayName }));
  }

  /** CONT-06: someone's request arrives (their signed name and note), as the real core would store it. */
  receiveRequest(seed: number, displayName: string, note = ''): void {
    const key = fakeKey(seed);
    const request = { publicKey: bytesToHex(key), userId: encodeUserId(key), displayName, note, receivedAt: this.#now() };
    this.state.requests = { ...this.state.requests, incoming: [...this.state.requests.incoming.filter((r) => r.publicKey !== request.publicKey), request] };
    this.emit('requests.changed', this.state.requests);
  }

  /** CONT-06: a pending contact added the user back (their presence or acceptance arrived). */
  addedBack(publicKey: string): void {
    this.#update(publicKey, (c) => ({ ...c, pending: false }));
  }

  readonly handlers: BridgeHandlers = {
    'session.state': async () => this.#log('session.state', { state: this.state.session, profileName: this.state.profileName }),
    'profile.create': async ({ displayName, passphrase }) => {
      this.#log('profile.create', null);
      if (this.state.identity !== null) throw new DiscordOpusError('VAULT_EXISTS', 'A vault already exists here; it was left untouched.');
      checkNewPassphrase(passphrase, displayName);
      this.state.identity = { userId: encodeUserId(this.#ownKey), displayName };
      this.state.passphrase = passphrase;
      return this.#opened();
    },
    'profile.unlock': async ({ passphrase }) => {
      this.#log('profile.unlock', null);
      if (this.state.identity === null) throw new DiscordOpusError('VAULT_NOT_FOUND', 'There is no profile to unlock.');
      this.#checkPassphrase(passphrase);
      if (this.state.session === 'unlocked') return this.state.identity;
      return this.#opened();
    },
    'profile.restore': async ({ backupBase64, backupPassphrase, passphrase, displayName }) => {
      this.#log('profile.restore', null);
      if (this.state.identity !== null) throw new DiscordOpusError('VAULT_EXISTS', 'A vault already exists here; it was left untouched.');
      const backup = readFakeBackup(backupBase64);
      if (backupPassphrase !== backup.passphrase) throw new DiscordOpusError('WRONG_PASSPHRASE', 'The backup passphrase is wrong.');
      checkNewPassphrase(passphrase, displayName ?? backup.displayName);
      this.#ownKey = hexToBytes(backup.publicKey);
      this.state.identity = { userId: encodeUserId(this.#ownKey), displayName: displayName ?? backup.displayName };
      this.state.passphrase = passphrase;
      return this.#opened();
    },
    'profile.exportBackup': async ({ passphrase }) => {
      this.#log('profile.exportBackup', null);
      this.#checkPassphrase(passphrase);
      const bytes = fakeBackupBytes({ displayName: this.#identity().displayName, passphrase, ownKey: this.#ownKey });
      return { fileName: `${this.state.profileName}.dopus-backup`, backupBase64: bytesToBase64(bytes) };
    },
    'profile.changePassphrase': async ({ current, next }) => {
      this.#log('profile.changePassphrase', null);
      this.#checkPassphrase(current);
      checkNewPassphrase(next, this.#identity().displayName);
      this.state.passphrase = next;
      return null;
    },
    'identity.get': async () => this.#log('identity.get', this.#identity()),
    'profile.setDisplayName': async ({ displayName }) => {
      this.#log('profile.setDisplayName', null);
      if (this.state.session !== 'unlocked') throw new DiscordOpusError('VAULT_CLOSED', 'The profile is locked.');
      this.state.identity = { ...this.#identity(), displayName };
      return this.state.identity;
    },
    'links.list': async () => this.#log('links.list', { links: this.state.links, warnings: this.state.warnings }),
    'links.open': async ({ publicKey, intent }) => {
      this.#log('links.open', null);
      this.linkIntents.push(intent ?? 'default');
      const contact = this.#find(publicKey);
      if (contact.onlineStatus !== 'online' && contact.onlineStatus !== 'away' && contact.onlineStatus !== 'busy') {
        throw new DiscordOpusError('LINK_UNREACHABLE', 'This contact is not online (or you are not connected), so no direct link can be opened now.');
      }
      const current = this.state.links.find((l) => l.publicKey === publicKey);
      if (current !== undefined) return current;
      // PRES-01: like the core, an app-made open ('auto', the default) is refused while invisible; an open link is kept.
      if ((intent ?? 'auto') === 'auto' && this.state.status === 'invisible') {
        throw new DiscordOpusError('INVISIBLE', 'You are invisible, so no link is opened until you send a message or start a call.');
      }
      const connecting: LinkStatus = { publicKey, state: 'connecting', reason: null, path: null, rttMs: null };
      this.setLink(connecting);
      return connecting;
    },
    'links.dismissWarning': async ({ publicKey }) => {
      this.#log('links.dismissWarning', null);
      this.state.warnings = this.state.warnings.filter((w) => w.publicKey !== publicKey);
      return null;
    },
    'contacts.list': async () => this.#log('contacts.list', { contacts: this.state.contacts }),
    'contacts.add': async ({ userId, nickname, note }) => {
      this.#log('contacts.add', null);
      const key = decodeUserId(userId);
      if (publicKeyProblem(key) !== null) throw new DiscordOpusError('CONTACT_KEY_UNUSABLE', 'That ID does not name a usable identity key: anyone could pretend to be it. Ask your contact to send their ID again.');
      const publicKey = bytesToHex(key);
      if (publicKey === bytesToHex(this.#ownKey)) throw new DiscordOpusError('CONTACT_IS_SELF', 'That is your own ID; you cannot add yourself as a contact.');
      if (this.state.contacts.some((c) => c.publicKey === publicKey)) throw new DiscordOpusError('CONTACT_EXISTS', 'This contact is already in your list.');
      if (this.state.requests.blocked.some((b) => b.publicKey === publicKey)) {
        throw new DiscordOpusError('CONTACT_BLOCKED', 'You blocked this user. Unblock them in Settings → Blocked users first.');
      }
      // CONT-06: pending until they add the user back (the note goes with the real core's request).
      const contact: Contact = { ...fakeContact(key[0] ?? 0), publicKey, userId: encodeUserId(key), nickname: nickname ?? null, addedAt: this.#now(), pending: true };
      this.state.contacts = [...this.state.contacts, contact];
      if (note !== undefined) this.requestNotes.set(publicKey, note);
      this.emit('contacts.changed', { contacts: this.state.contacts });
      // CONT-06: their request was waiting: adding them accepts it, as the real core does.
      if (this.state.requests.incoming.some((r) => r.publicKey === publicKey)) return this.handlers['requests.accept']({ publicKey });
      return contact;
    },
    'contacts.remove': async ({ publicKey }) => {
      this.#log('contacts.remove', null);
      this.#find(publicKey);
      this.state.contacts = this.state.contacts.filter((c) => c.publicKey !== publicKey);
      // A removed contact's link closes (P2P-01).
      if (this.state.links.some((l) => l.publicKey === publicKey)) this.setLink({ publicKey, state: 'closed', reason: 'contact-removed', path: null, rttMs: null });
      this.emit('contacts.changed', { contacts: this.state.contacts });
      return null;
    },
    'contacts.rename': async ({ publicKey, nickname }) => {
      this.#log('contacts.rename', null);
      return this.#update(publicKey, (c) => ({ ...c, nickname }));
    },
    'contacts.setVerified': async ({ publicKey, verified }) => {
      this.#log('contacts.setVerified', null);
      return this.#update(publicKey, (c) => ({ ...c, verified }));
    },
    'contacts.safetyNumber': async ({ publicKey }) => {
      this.#log('contacts.safetyNumber', null);
      this.#find(publicKey);
      const digits = safetyNumber(this.#ownKey, hexToBytes(publicKey));
      return { digits, groups: formatSafetyNumber(digits) };
    },
    'presence.setStatus': async ({ status }) => {
      this.#log('presence.setStatus', null);
      this.state.status = status;
      this.emit('status.changed', { status });
      return { status };
    },
    'presence.status': async () => this.#log('presence.status', { status: this.state.status }),
    'connection.state': async () => this.#log('connection.state', this.state.connection),
    'connection.retryNow': async () => {
      this.#log('connection.retryNow', null);
      this.setConnection({ ...this.state.connection, state: 'connecting', nextRetryAt: null, reason: null });
      return null;
    },
    'settings.get': async () => this.#log('settings.get', this.state.settings),
    'settings.set': async (change) => {
      this.#log('settings.set', null);
      const relayOnly = change.relayOnly ?? this.state.settings.relayOnly ?? false;
      const sendReadReceipts = change.sendReadReceipts ?? this.state.settings.sendReadReceipts ?? true;
      this.state.settings = this.files.applySettings(change, {
        signalingUrls: change.signalingUrls ?? this.state.settings.signalingUrls,
        theme: change.theme ?? this.state.settings.theme,
        // Left out when off, as the real core does.
        ...(relayOnly ? { relayOnly } : {}),
        linkIdleCloseMs: change.linkIdleCloseMs ?? this.state.settings.linkIdleCloseMs ?? 5 * 60_000,
        sendReadReceipts,
        ...(change.voice !== undefined ? { voice: change.voice } : this.state.settings.voice !== undefined ? { voice: this.state.settings.voice } : {}),
      });
      this.emit('settings.changed', this.state.settings);
      return this.state.settings;
    },
    ...this.messages.handlers,
    ...this.callWire.handlers,
    ...this.files.handlers,
    // The state is read when a call runs: the handlers are built before the constructor sets it.
    ...((self: FakeCore) => fakeRequestHandlers({
      state: () => self.state,
      log: (method, value) => self.#log(method, value),
      emit: (event, payload) => self.emit(event, payload),
      now: () => self.#now(),
      addContact: (userId) => self.handlers['contacts.add']({ userId }),
    }))(this),
  };

  /** The profile is open: announce it, as the real core does. */
  #opened() {
    this.state.session = 'unlocked';
    this.messages.online();
    this.files.online();
    this.emit('session.changed', { state: 'unlocked', profileName: this.state.profileName });
    return this.#identity();
  }

  #log<T>(method: string, value: T): T {
    this.calls.push(method);
    if (this.#closed) throw new DiscordOpusError('SESSION_CLOSED', 'This profile was closed.');
    if (method !== 'session.state' && !method.startsWith('profile.') && this.state.session !== 'unlocked') {
      throw new DiscordOpusError('VAULT_CLOSED', 'The profile is locked.');
    }
    return value;
  }

  #identity() {
    if (this.state.identity === null) throw new DiscordOpusError('VAULT_CLOSED', 'The profile is locked.');
    return this.state.identity;
  }

  #checkPassphrase(passphrase: string): void {
    if (passphrase !== this.state.passphrase) throw new DiscordOpusError('WRONG_PASSPHRASE', 'The passphrase is wrong.');
  }

  #find(publicKey: string): Contact {
    const contact = this.state.contacts.find((c) => c.publicKey === publicKey);
    if (contact === undefined) throw new DiscordOpusError('CONTACT_NOT_FOUND', 'There is no such contact (was it removed?).');
    return contact;
  }

  #update(publicKey: string, change: (contact: Contact) => Contact): Contact {
    const updated = change(this.#find(publicKey));
    this.state.contacts = this.state.contacts.map((c) => (c.publicKey === publicKey ? updated : c));
    this.emit('contacts.changed', { contacts: this.state.contacts });
    return updated;
  }
}

import { createTestVault, PASSPHRASE } from '../../test/helpers/test-vault';
import { tempDir } from '../../test/helpers/temp-dir';
import { TEST_ONLY_CHEAP_SCRYPT } from '../vault/kdf';
import { Vault } from '../vault/vault';
import { TaskQueue, type ManualClock } from './message-harness.test-helper';
import { MessageService, type MessageServiceOptions } from './message-service';
import type { StoredMessage } from './message-types';

export const RETRANSMIT_MS = 5_000;
const BACKUP_PASSPHRASE = 'orange bicycle mountain thunder';

/** What a conversation looks like, for comparing both sides' histories. */
export interface Snapshot {
  id: string;
  author: string;
  seq: number;
  text: string;
  editedAt: number | null;
  deleted: boolean;
  reactions: string;
}

/**
 * A user: a real SQLCipher vault in a temp folder and a MessageService on the shared manual
 * clock, with its own task queue. `crash()` drops everything in memory (timers, frames not yet
 * stored) and closes the database without the service's shutdown; `start()` unlocks it again.
 */
export class TestPeer {
  readonly dir: string;
  readonly key: string;
  readonly events: { type: string; payload: unknown }[] = [];
  #vault: Vault;
  #service!: MessageService;
  #tasks!: TaskQueue;
  #clockView!: ReturnType<ManualClock['view']>;
  readonly #clock: ManualClock;
  readonly #options: Partial<MessageServiceOptions>;

  private constructor(dir: string, vault: Vault, clock: ManualClock, options: Partial<MessageServiceOptions>) {
    this.dir = dir;
    this.#vault = vault;
    this.key = vault.messages.ownKey;
    this.#clock = clock;
    this.#options = options;
    this.#wire();
  }

  static async create(name: string, clock: ManualClock, options: Partial<MessageServiceOptions> = {}): Promise<TestPeer> {
    const dir = tempDir(`dopus-msg-${name}-`);
    const vault = await createTestVault(dir, { displayName: name, now: () => clock.now() });
    return new TestPeer(dir, vault, clock, options);
  }

  /**
   * IDEN-03: the same identity restored from a backup of `from` into a new, empty profile (a
   * backup holds the identity, contacts and settings, no messages).
   */
  static async restoredFrom(from: TestPeer, name: string, clock: ManualClock, options: Partial<MessageServiceOptions> = {}): Promise<TestPeer> {
    const backupBytes = await from.vault.exportBackup(BACKUP_PASSPHRASE, { kdf: TEST_ONLY_CHEAP_SCRYPT });
    const dir = tempDir(`dopus-msg-${name}-`);
    const vault = await Vault.restoreFromBackup({ dir, backupBytes, backupPassphrase: BACKUP_PASSPHRASE, passphrase: PASSPHRASE, kdf: TEST_ONLY_CHEAP_SCRYPT, now: () => clock.now() });
    return new TestPeer(dir, vault, clock, options);
  }

  get vault(): Vault {
    return this.#vault;
  }
  get service(): MessageService {
    return this.#service;
  }
  get tasks(): TaskQueue {
    return this.#tasks;
  }

  async crash(): Promise<void> {
    this.#clockView.kill();
    this.#tasks.tasks.length = 0;
    this.#vault.close();
    this.#vault = await Vault.unlock({ dir: this.dir, passphrase: PASSPHRASE, now: () => this.#clock.now() });
    this.#wire();
  }

  /** Every message of the conversation with `peer`, read page by page, oldest first. */
  history(peer: string): StoredMessage[] {
    const pages: StoredMessage[][] = [];
    let page = this.#vault.messages.history(peer, { limit: 200 });
    pages.unshift(page.messages);
    while (page.olderCursor) {
      page = this.#vault.messages.history(peer, { before: page.olderCursor, limit: 200 });
      pages.unshift(page.messages);
    }
    return pages.flat();
  }

  snapshot(peer: string): Snapshot[] {
    return this.history(peer).map((m) => ({
      id: m.id,
      author: m.author,
      seq: m.seq,
      text: m.text,
      editedAt: m.editedAt,
      deleted: m.deleted,
      reactions: JSON.stringify(m.reactions),
    }));
  }

  #wire(): void {
    this.#tasks = new TaskQueue();
    this.#clockView = this.#clock.view();
    this.#service = new MessageService({
      store: this.#vault.messages,
      clock: this.#clockView,
      schedule: this.#tasks.schedule,
      retransmitMs: RETRANSMIT_MS,
      ...this.#options,
    });
    for (const type of ['messageAdded', 'messageUpdated', 'receipt', 'typing', 'frameRefused', 'unreadChanged'] as const) {
      this.#service.on(type, (payload: unknown) => this.events.push({ type, payload }));
    }
  }
}

/** By author, in history order: what each author's messages look like on this side. */
export function byAuthor(snapshot: Snapshot[], author: string): Snapshot[] {
  return snapshot.filter((m) => m.author === author);
}

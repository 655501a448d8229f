import type { Contact, Message } from '@discordopus/protocol/bridge';
import { decodeUserId, bytesToHex } from '@discordopus/protocol';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { contactName } from '../../lib/contact-display';
import { errorMessage } from '../../lib/error-message';
import { useNow } from '../../lib/use-now';
import { useActions, useAppState, useStoreState } from '../../store/app-context';
import { useCallLog } from '../calls/call-log-view';
import { Composer, type ComposerHandle } from './composer';
import { DeleteMessageDialog } from './delete-message-dialog';
import { MessageList } from './message-list';
import { TypingIndicator } from './typing-indicator';
import { UploadTray } from '../files/upload-tray';
import { useFileSending } from '../files/use-file-sending';
import { transfersInRun } from './message-items';

/**
 * The first of the contact's last `unread` messages (not deleted), if all of them are loaded;
 * null when there are none or some are still in older pages.
 */
function firstUnreadOf(messages: readonly Message[], unread: number): string | null {
  if (unread <= 0) return null;
  let seen = 0;
  for (let i = messages.length - 1; i >= 0; i--) {
    const m = messages[i]!;
    if (m.outgoing || m.deleted) continue;
    seen++;
    if (seen === unread) return m.id;
  }
  return null;
}

/** FILE-01: transfers from when are needed: from the oldest loaded message, or all once every message is loaded. */
function transfersFrom(conversation: { messages: readonly Message[]; olderCursor: string | null } | undefined): number {
  if (conversation === undefined || conversation.olderCursor === null) return Number.NEGATIVE_INFINITY;
  return conversation.messages[0]?.sentAt ?? Number.NEGATIVE_INFINITY;
}

/**
 * MSG-01, MSG-03: the selected contact's conversation: the message list, who is typing, and
 * the composer with its reply quote. Opening it loads the newest page.
 */
export function ConversationView({ contact }: { contact: Contact }) {
  const actions = useActions();
  const store = useStoreState();
  const publicKey = contact.publicKey;
  const conversation = useAppState((s) => s.conversations[publicKey]);
  const typing = useAppState((s) => s.typing[publicKey] === true);
  const invisible = useAppState((s) => s.ownStatus === 'invisible');
  const identity = useAppState((s) => s.identity);
  const focus = useAppState((s) => (s.focusMessage?.publicKey === publicKey ? s.focusMessage.id : null));
  const ownKey = useMemo(() => (identity === null ? '' : bytesToHex(decodeUserId(identity.userId))), [identity]);
  const [replyTo, setReplyTo] = useState<Message | null>(null);
  const [editingId, setEditingId] = useState<string | null>(null);
  const [deleting, setDeleting] = useState<Message | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const composer = useRef<ComposerHandle>(null);
  const now = useNow(60_000);
  const name = contactName(contact);
  const ownName = identity?.displayName ?? 'You';
  const nameOf = useCallback((author: string) => (author === publicKey ? name : ownName), [publicKey, name, ownName]);

  useEffect(() => {
    setReplyTo(null);
    setEditingId(null);
    setLoadError(null);
    actions
      .loadConversation(publicKey)
      // FILE-01: the transfers that sit among the loaded messages.
      .then(() => actions.loadTransfers(publicKey, transfersFrom(store().conversations[publicKey])))
      .catch((error: unknown) => setLoadError(errorMessage(error)));
  }, [actions, publicKey, store]);

  const messages = conversation?.messages;
  // VOICE-04: the calls with this contact from the vault's log, in the timeline; seeing them clears the missed-call badge.
  const calls = useCallLog(publicKey);
  const coverFrom = transfersFrom(conversation);
  useEffect(() => {
    // Older messages came in: the transfers of their time too (once the first page of transfers is there).
    if (store().transferCursors[publicKey] !== undefined) void actions.loadOlderTransfers(publicKey, coverFrom).catch(() => undefined);
  }, [actions, publicKey, store, coverFrom]);
  const allTransfers = useAppState((s) => s.transfers);
  const transfers = useMemo(
    () =>
      transfersInRun(
        Object.values(allTransfers).filter((t) => t.peer === publicKey),
        messages ?? [],
        { hasOlder: (conversation?.olderCursor ?? null) !== null, hasNewer: (conversation?.newerCursor ?? null) !== null },
      ),
    [allTransfers, publicKey, messages, conversation?.olderCursor, conversation?.newerCursor],
  );
  const sending = useFileSending(publicKey, contactName(contact));
  const unreadNow = useAppState((s) => s.unread[publicKey] ?? 0);
  // MSG-04: what was unread when this run was loaded (a snapshot: reading it does not move the line).
  const snapshot = useRef<{ generation: number; unread: number; firstUnreadId: string | null }>({ generation: -1, unread: 0, firstUnreadId: null });
  if (conversation !== undefined && snapshot.current.generation !== conversation.generation) {
    snapshot.current = { generation: conversation.generation, unread: unreadNow, firstUnreadId: firstUnreadOf(conversation.messages, unreadNow) };
  }
  const [jumping, setJumping] = useState(false);
  const unreadNotLoaded = snapshot.current.unread > 0 && snapshot.current.firstUnreadId === null && conversation?.olderCursor !== null;
  const jumpToFirstUnread = async () => {
    setJumping(true);
    try {
      // Older pages until the first unread message is loaded (a bounded number of them).
      for (let page = 0; page < 40; page++) {
        const current = store().conversations[publicKey]?.messages ?? [];
        const found = firstUnreadOf(current, snapshot.current.unread);
        if (found !== null) {
          snapshot.current = { ...snapshot.current, firstUnreadId: found };
          actions.focusMessage(publicKey, found);
          return;
        }
        if (!(await actions.loadOlder(publicKey))) return;
      }
    } finally {
      setJumping(false);
    }
  };
  const onReply = useCallback((message: Message) => setReplyTo(message), []);
  const onStartEdit = useCallback((message: Message) => setEditingId(message.id), []);
  const onCancelEdit = useCallback(() => {
    setEditingId(null);
    composer.current?.focus();
  }, []);
  const onSaveEdit = useCallback(
    async (message: Message, text: string) => {
      await actions.editMessage(publicKey, message.id, text);
      setEditingId(null);
      composer.current?.focus();
    },
    [actions, publicKey],
  );
  const onDelete = useCallback((message: Message) => setDeleting(message), []);
  const onReact = useCallback(
    (message: Message, emoji: string) => {
      actions.toggleReaction(publicKey, message.id, emoji).catch(() => undefined);
    },
    [actions, publicKey],
  );
  const onEditLast = useCallback(() => {
    const last = [...(messages ?? [])].reverse().find((m) => m.outgoing && !m.deleted);
    if (last !== undefined) setEditingId(last.id);
  }, [messages]);
  const markRead = useCallback((seq: number) => void actions.markRead(publicKey, seq).catch(() => undefined), [actions, publicKey]);

  return (
    <section
      data-testid="conversation"
      data-public-key={publicKey}
      aria-label={`Conversation with ${name}`}
      className="relative flex min-h-0 min-w-0 flex-1 flex-col"
      {...sending.handlers}
    >
      {sending.layer}
      {loadError !== null && (
        <p role="alert" className="m-4 rounded bg-danger/10 px-4 py-3 text-sm text-danger">
          Could not load the conversation: {loadError}
        </p>
      )}
      {unreadNotLoaded && (
        <button
          type="button"
          data-testid="jump-to-unread"
          disabled={jumping}
          onClick={() => void jumpToFirstUnread()}
          className="mx-4 mt-2 rounded bg-accent px-3 py-1 text-left text-xs font-semibold text-white hover:bg-accent-hover disabled:opacity-60"
        >
          {snapshot.current.unread} new messages — jump to the first
        </button>
      )}
      {conversation === undefined ? (
        <div className="flex-1" />
      ) : conversation.messages.length === 0 && calls.length === 0 && transfers.length === 0 ? (
        <div data-testid="conversation-empty" className="flex flex-1 flex-col justify-end p-4 text-sm text-muted">
          This is the beginning of your conversation with {name}. Messages are end-to-end encrypted and stored only on your two computers.
        </div>
      ) : (
        <MessageList
          publicKey={publicKey}
          messages={conversation.messages}
          transfers={transfers}
          generation={conversation.generation}
          hasOlder={conversation.olderCursor !== null}
          hasNewer={conversation.newerCursor !== null}
          ownKey={ownKey}
          nameOf={nameOf}
          editingId={editingId}
          focusId={focus}
          firstUnreadId={snapshot.current.firstUnreadId}
          now={now}
          calls={calls}
          loadOlder={() => actions.loadOlder(publicKey)}
          loadNewer={() => actions.loadNewer(publicKey)}
          markRead={markRead}
          onReply={onReply}
          onStartEdit={onStartEdit}
          onCancelEdit={onCancelEdit}
          onSaveEdit={onSaveEdit}
          onDelete={onDelete}
          onReact={onReact}
        />
      )}
      <TypingIndicator name={name} typing={typing} />
      <UploadTray publicKey={publicKey} />
      <Composer
        ref={composer}
        contactName={name}
        replyingTo={replyTo === null ? null : { authorName: nameOf(replyTo.author), text: replyTo.text }}
        onCancelReply={() => setReplyTo(null)}
        onSend={async (text) => {
          await actions.sendMessage(publicKey, text, replyTo?.id ?? null);
          setReplyTo(null);
        }}
        onTyping={(isTyping) => void actions.setTyping(publicKey, isTyping).catch(() => undefined)}
        onEditLast={onEditLast}
        invisible={invisible}
        onAttach={sending.pick}
      />
      {deleting !== null && (
        <DeleteMessageDialog message={deleting} onConfirm={() => actions.deleteMessage(publicKey, deleting.id)} onClose={() => setDeleting(null)} />
      )}
    </section>
  );
}

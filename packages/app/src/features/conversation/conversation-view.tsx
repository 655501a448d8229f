import type { Contact, Message } from '@discordopus/protocol/bridge';
import { decodeUserId, bytesToHex } from '@discordopus/protocol';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { contactName } from '../../lib/contact-display';
import { errorMessage } from '../../lib/error-message';
import { useNow } from '../../lib/use-now';
import { useActions, useAppState } from '../../store/app-context';
import { Composer, type ComposerHandle } from './composer';
import { DeleteMessageDialog } from './delete-message-dialog';
import { MessageList } from './message-list';
import { TypingIndicator } from './typing-indicator';

/**
 * MSG-01, MSG-03: the selected contact's conversation: the message list, who is typing, and
 * the composer with its reply quote. Opening it loads the newest page.
 */
export function ConversationView({ contact }: { contact: Contact }) {
  const actions = useActions();
  const publicKey = contact.publicKey;
  const conversation = useAppState((s) => s.conversations[publicKey]);
  const typing = useAppState((s) => s.typing[publicKey] === true);
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
    actions.loadConversation(publicKey).catch((error: unknown) => setLoadError(errorMessage(error)));
  }, [actions, publicKey]);

  const messages = conversation?.messages;
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
    <section data-testid="conversation" data-public-key={publicKey} aria-label={`Conversation with ${name}`} className="flex min-h-0 min-w-0 flex-1 flex-col">
      {loadError !== null && (
        <p role="alert" className="m-4 rounded bg-danger/10 px-4 py-3 text-sm text-danger">
          Could not load the conversation: {loadError}
        </p>
      )}
      {conversation === undefined ? (
        <div className="flex-1" />
      ) : conversation.messages.length === 0 ? (
        <div data-testid="conversation-empty" className="flex flex-1 flex-col justify-end p-4 text-sm text-muted">
          This is the beginning of your conversation with {name}. Messages are end-to-end encrypted and stored only on your two computers.
        </div>
      ) : (
        <MessageList
          publicKey={publicKey}
          messages={conversation.messages}
          generation={conversation.generation}
          hasOlder={conversation.olderCursor !== null}
          hasNewer={conversation.newerCursor !== null}
          ownKey={ownKey}
          nameOf={nameOf}
          editingId={editingId}
          focusId={focus}
          now={now}
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
      />
      {deleting !== null && (
        <DeleteMessageDialog message={deleting} onConfirm={() => actions.deleteMessage(publicKey, deleting.id)} onClose={() => setDeleting(null)} />
      )}
    </section>
  );
}

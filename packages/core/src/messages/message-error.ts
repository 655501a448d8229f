import { DiscordOpusError } from '@discordopus/protocol';

export type MessageErrorCode =
  | 'BAD_MESSAGE_TEXT'
  | 'BAD_REACTION'
  | 'BAD_PEER_KEY'
  | 'BAD_MESSAGE_ID'
  | 'BAD_CURSOR'
  | 'MESSAGE_NOT_FOUND'
  | 'NOT_YOUR_MESSAGE'
  | 'MESSAGE_DELETED'
  | 'TOO_MANY_REACTIONS';

/** Errors of the message store and service (CONVENTIONS 5): a code and one sentence. */
export class MessageError extends DiscordOpusError<MessageErrorCode> {
  static badText(problem: string): MessageError {
    return new MessageError('BAD_MESSAGE_TEXT', `${problem} Nothing was stored.`);
  }

  static badReaction(): MessageError {
    return new MessageError('BAD_REACTION', 'A reaction is one emoji.');
  }

  static badPeerKey(): MessageError {
    return new MessageError('BAD_PEER_KEY', 'A conversation is named by the contact’s public key: 64 hex characters.');
  }

  static badMessageId(): MessageError {
    return new MessageError('BAD_MESSAGE_ID', 'A message ID is 22 base64url characters.');
  }

  static badCursor(): MessageError {
    return new MessageError('BAD_CURSOR', 'That history cursor is not one this store gave out.');
  }

  static notFound(): MessageError {
    return new MessageError('MESSAGE_NOT_FOUND', 'There is no such message in this conversation.');
  }

  static notYours(): MessageError {
    return new MessageError('NOT_YOUR_MESSAGE', 'Only the author can edit or delete a message.');
  }

  static tooManyReactions(perUser: number, perMessage: number): MessageError {
    return new MessageError('TOO_MANY_REACTIONS', `A message takes at most ${perUser} different reactions from one person and ${perMessage} in all; remove one first.`);
  }

  static deleted(): MessageError {
    return new MessageError('MESSAGE_DELETED', 'That message was deleted.');
  }
}

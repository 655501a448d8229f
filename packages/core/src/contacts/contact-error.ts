import { DiscordOpusError } from '@discordopus/protocol';

/**
 * Contact errors. A malformed user ID is not wrapped: `add` lets the protocol's UserIdError
 * through, so its code (`USER_ID_BAD_CHECKSUM`, …) and sentence reach the UI unchanged.
 */
export type ContactErrorCode =
  | 'CONTACT_IS_SELF'
  | 'CONTACT_KEY_UNUSABLE'
  | 'CONTACT_EXISTS' | 'CONTACT_BLOCKED' | 'CONTACT_NOT_FOUND' | 'BAD_NICKNAME' | 'BAD_NOTE' | 'BAD_PUBLIC_KEY' | 'BAD_STATUS';

export class ContactError extends DiscordOpusError<ContactErrorCode> {
  static isSelf(): ContactError {
    return new ContactError('CONTACT_IS_SELF', 'That is your own ID; you cannot add yourself as a contact.');
  }

  /** The ID decodes, but to a key no one can own (small order, not on the curve, non-canonical). */
  static keyUnusable(): ContactError {
    return new ContactError(
      'CONTACT_KEY_UNUSABLE',
      'That ID does not name a usable identity key: anyone could pretend to be it. Ask your contact to send their ID again.',
    );
  }

  static exists(name: string): ContactError {
    return new ContactError('CONTACT_EXISTS', `${name} is already in your contacts.`);
  }

  /** CONT-06 */
  static blocked(): ContactError {
    return new ContactError('CONTACT_BLOCKED', 'You blocked this user. Unblock them in Settings → Blocked users first.');
  }

  static notFound(): ContactError {
    return new ContactError('CONTACT_NOT_FOUND', 'There is no such contact (was it removed?).');
  }

  static badNickname(problem: string): ContactError {
    return new ContactError('BAD_NICKNAME', problem);
  }

  /** CONT-06: the note for a contact request breaks its rules (the sentence says which). */
  static badNote(problem: string): ContactError {
    return new ContactError('BAD_NOTE', `The note cannot be sent: ${problem}.`);
  }

  static badPublicKey(): ContactError {
    return new ContactError('BAD_PUBLIC_KEY', 'A contact public key is 64 hexadecimal characters.');
  }

  static badStatus(status: unknown): ContactError {
    return new ContactError('BAD_STATUS', `"${String(status).slice(0, 20)}" is not an online status.`);
  }
}

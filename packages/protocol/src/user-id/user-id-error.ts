import { DiscordOpusError } from '../errors/discordopus-error';

export type UserIdErrorCode =
  | 'USER_ID_EMPTY'
  | 'USER_ID_BAD_PREFIX'
  | 'USER_ID_BAD_CHARACTER'
  | 'USER_ID_MIXED_CASE'
  | 'USER_ID_BAD_LENGTH'
  | 'USER_ID_BAD_CHECKSUM';

/** A user ID that cannot be decoded. Never silently taken as another key (IDEN-02). */
export class UserIdError extends DiscordOpusError<UserIdErrorCode> {
  static empty(): UserIdError {
    return new UserIdError('USER_ID_EMPTY', 'The user ID is empty.');
  }

  static badPrefix(found: string, expected: string): UserIdError {
    const shown = found.length > 12 ? `${found.slice(0, 12)}…` : found;
    return new UserIdError(
      'USER_ID_BAD_PREFIX',
      `A user ID starts with "${expected}1"; this one starts with "${shown}".`,
    );
  }

  static badCharacter(char: string, position: number): UserIdError {
    return new UserIdError(
      'USER_ID_BAD_CHARACTER',
      `The user ID has a character that is never used in IDs ("${char}" at position ${position + 1}).`,
    );
  }

  static mixedCase(): UserIdError {
    return new UserIdError('USER_ID_MIXED_CASE', 'The user ID mixes upper- and lower-case letters.');
  }

  static badLength(actual: number, expected: number): UserIdError {
    const what = actual < expected ? 'too short (truncated?)' : 'too long';
    return new UserIdError(
      'USER_ID_BAD_LENGTH',
      `The user ID is ${what}: ${actual} characters where ${expected} are expected.`,
    );
  }

  static badChecksum(): UserIdError {
    return new UserIdError(
      'USER_ID_BAD_CHECKSUM',
      'The user ID does not match its checksum: a character is mistyped or two are swapped.',
    );
  }
}

import { USER_ID_LENGTH, USER_ID_PREFIX, UserIdError, decodeUserId } from '@discordopus/protocol';

export type UserIdInputState =
  | { kind: 'empty' }
  /** Still typing: a correct beginning of an ID. */
  | { kind: 'typing'; message: string }
  | { kind: 'invalid'; code: string; message: string }
  | { kind: 'own-id'; message: string }
  | { kind: 'valid' };

/**
 * IDEN-02, CONT-01: what to say under the "add contact" field while the user types. A correct
 * beginning is not an error; every other problem (a mistyped character, a swap, a bad prefix)
 * is named by the codec's own error as soon as it can be seen.
 */
export function userIdInputState(text: string, ownUserId: string | null): UserIdInputState {
  const trimmed = text.trim();
  if (trimmed.length === 0) return { kind: 'empty' };
  const prefix = `${USER_ID_PREFIX}1`;
  const lower = trimmed.toLowerCase();
  if (trimmed.length <= prefix.length && prefix.startsWith(lower)) {
    return { kind: 'typing', message: `An ID starts with ${prefix} and has ${USER_ID_LENGTH} characters.` };
  }
  try {
    decodeUserId(trimmed);
  } catch (error) {
    if (!(error instanceof UserIdError)) throw error;
    if (error.code === 'USER_ID_BAD_LENGTH' && trimmed.length < USER_ID_LENGTH) {
      return { kind: 'typing', message: `${trimmed.length} of ${USER_ID_LENGTH} characters.` };
    }
    return { kind: 'invalid', code: error.code, message: error.message };
  }
  if (ownUserId !== null && lower === ownUserId.toLowerCase()) return { kind: 'own-id', message: 'That is your own ID.' };
  return { kind: 'valid' };
}

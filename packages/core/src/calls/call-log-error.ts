import { DiscordOpusError } from '@discordopus/protocol';

export type CallLogErrorCode = 'CALL_LOG_FUTURE' | 'CALL_LOG_NOT_KEPT';

/** Why a call could not be recorded in the vault's call log (VOICE-04): a code and a sentence. */
export class CallLogError extends DiscordOpusError<CallLogErrorCode> {
  /** The entry starts later than the bound (this side's clock plus a day). */
  static future(): CallLogError {
    return new CallLogError('CALL_LOG_FUTURE', 'A call cannot start more than a day in the future; check the computer\'s clock.');
  }
  /** The entry was older than every kept one of the contact, so the bound pruned it at once. */
  static notKept(): CallLogError {
    return new CallLogError('CALL_LOG_NOT_KEPT', 'The call is older than every call kept with this contact, so it was not kept.');
  }
}

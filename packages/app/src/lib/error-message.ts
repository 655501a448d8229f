import { DiscordOpusError } from '@discordopus/protocol';

/** One sentence for a person from anything thrown by a bridge call. */
export function errorMessage(error: unknown): string {
  if (error instanceof DiscordOpusError) return error.message;
  return 'Something went wrong. Please try again.';
}

/** The error code of a bridge failure, or null. */
export function errorCode(error: unknown): string | null {
  return error instanceof DiscordOpusError ? error.code : null;
}

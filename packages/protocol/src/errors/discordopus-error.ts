/**
 * The one base class for every local error in DiscordOpus (CONVENTIONS 5).
 *
 * `code` is stable and machine-readable (shown to users next to the message, matched by tests
 * and by the UI); `message` is one plain sentence for a person. Subclasses add static factories
 * so call sites read as `UserIdError.badChecksum()` rather than building codes by hand.
 */
export class DiscordOpusError<Code extends string = string> extends Error {
  readonly code: Code;

  constructor(code: Code, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    this.name = new.target.name;
  }

  /** Turn anything thrown at a boundary into a DiscordOpusError; unknown things become INTERNAL. */
  static from(err: unknown): DiscordOpusError {
    if (err instanceof DiscordOpusError) return err;
    return new DiscordOpusError('INTERNAL', 'An internal error occurred.', { cause: err });
  }
}

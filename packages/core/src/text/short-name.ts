/** The longest display name or nickname, in characters (code points). */
export const SHORT_NAME_MAX = 64;

/**
 * The rule shared by display names and contact nicknames: NFC, trimmed, 1 to 64 characters,
 * no control characters, line breaks or text-direction overrides. Returns the normalised name
 * or a sentence saying what is wrong, for the caller to wrap in its own error.
 */
export function checkShortName(raw: string, label: string): { name: string } | { problem: string } {
  const name = raw.normalize('NFC').trim();
  if (name.length === 0) return { problem: `${label} cannot be empty.` };
  // Zero-width spaces, joiners, soft hyphens, variation selectors, fillers: a name made only of
  // these shows as a blank name and a blank avatar (issue 15 item 14).
  if (name.replace(/[\p{Default_Ignorable_Code_Point}\p{White_Space}\u115f\u1160\u3164\uffa0]/gu, '').length === 0) {
    return { problem: `${label} needs at least one visible character.` };
  }
  if ([...name].length > SHORT_NAME_MAX) return { problem: `${label} is at most ${SHORT_NAME_MAX} characters.` };
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/u.test(name)) {
    return { problem: `${label} cannot contain control characters or line breaks.` };
  }
  // Bidirectional overrides and isolates make a name display as something else ("txt.exe").
  if (/[\u202a-\u202e\u2066-\u2069]/u.test(name)) {
    return { problem: `${label} cannot contain text-direction control characters.` };
  }
  return { name };
}

import { FILE_LIMITS } from './file-limits';

/**
 * A file name made safe for the receiver's disk from whatever the sender offered (FILE-03). No
 * path from the sender is ever trusted: the result is one plain name, valid on Linux, macOS and
 * Windows, that can neither leave the downloads folder nor hide what it is:
 * - NFC; control, format (bidi overrides, zero-width) and lone-surrogate characters removed;
 * - path separators and the characters Windows refuses (`<>:"/\|?*`) become `_`;
 * - no leading dot (no hidden files, no `.` / `..`), no leading or trailing dots and spaces;
 * - Windows device names (CON, PRN, AUX, NUL, COM0-9, LPT0-9, also with an extension) get a `_`;
 * - at most 255 bytes of UTF-8, cut on a character boundary, keeping the extension;
 * - never empty (`file`).
 */
export function safeFileName(offered: string): string {
  let name = offered.normalize('NFC');
  name = stripUnsafeCharacters(name);
  name = name.replace(/[/\\<>:"|?*]/g, '_');
  name = name.replace(/^[\s.]+/u, (lead) => (lead.includes('.') ? '_' : ''));
  name = name.replace(/[\s.]+$/u, '');
  if (name === '') name = 'file';
  if (isWindowsDeviceName(name)) name = `_${name}`;
  return fitBytes(name, FILE_LIMITS.maxSafeNameBytes);
}

/**
 * The `n`th alternative of a safe name when it is taken (`n` ≥ 2): `photo (2).jpg`, still at
 * most 255 bytes, the extension kept.
 */
export function numberedFileName(safe: string, n: number): string {
  if (n < 2) return safe;
  const suffix = ` (${n})`;
  const { stem, ext } = splitExtension(safe);
  const room = FILE_LIMITS.maxSafeNameBytes - utf8Bytes(suffix) - utf8Bytes(ext);
  return `${cutToBytes(stem, room).replace(/[\s.]+$/u, '')}${suffix}${ext}`;
}

const encoder = new TextEncoder();

function utf8Bytes(text: string): number {
  return encoder.encode(text).length;
}

function stripUnsafeCharacters(text: string): string {
  let out = '';
  for (const ch of text) {
    const cp = ch.codePointAt(0)!;
    if (cp >= 0xd800 && cp <= 0xdfff) continue; // a lone surrogate
    if (/[\t\n\v\f\r\p{Zl}\p{Zp}]/u.test(ch)) out += ' '; // line breaks and tabs separate words
    else if (!/[\p{Cc}\p{Cf}]/u.test(ch)) out += ch; // controls, bidi and zero-width format characters go
  }
  return out;
}

const DEVICE = /^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³]|conin\$|conout\$)$/i;

function isWindowsDeviceName(name: string): boolean {
  const base = name.split('.')[0]!.trimEnd();
  return DEVICE.test(base);
}

/** `archive.tar.gz` → stem `archive.tar`, ext `.gz`; an "extension" over 32 bytes or with spaces is none. */
function splitExtension(name: string): { stem: string; ext: string } {
  const dot = name.lastIndexOf('.');
  if (dot <= 0) return { stem: name, ext: '' };
  const ext = name.slice(dot);
  if (utf8Bytes(ext) > 32 || /\s/u.test(ext)) return { stem: name, ext: '' };
  return { stem: name.slice(0, dot), ext };
}

/** The longest prefix of `text` (whole code points) that fits in `max` UTF-8 bytes. */
function cutToBytes(text: string, max: number): string {
  let out = '';
  let used = 0;
  for (const ch of text) {
    const n = utf8Bytes(ch);
    if (used + n > max) break;
    out += ch;
    used += n;
  }
  return out;
}

function fitBytes(name: string, max: number): string {
  if (utf8Bytes(name) <= max) return name;
  const { stem, ext } = splitExtension(name);
  const cut = `${cutToBytes(stem, max - utf8Bytes(ext)).replace(/[\s.]+$/u, '')}${ext}`;
  return cut.startsWith('.') || cut === '' ? cutToBytes(name, max) : cut;
}

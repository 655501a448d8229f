import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FILE_LIMITS } from './file-limits';
import { numberedFileName, safeFileName } from './safe-file-name';

const utf8 = (s: string) => new TextEncoder().encode(s).length;

/** What every safe name must be, whatever it came from. */
function expectSafe(name: string): void {
  expect(name.length).toBeGreaterThan(0);
  expect(utf8(name)).toBeLessThanOrEqual(FILE_LIMITS.maxSafeNameBytes);
  expect(name).not.toMatch(/[/\\<>:"|?*]/);
  expect(name).not.toMatch(/[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/u);
  expect(name).not.toMatch(/^[.\s]|[.\s]$/u);
  expect(name).not.toMatch(/^(con|prn|aux|nul|com\d|lpt\d)(\..*)?$/i);
  expect(name).toBe(name.normalize('NFC'));
  expect(name).not.toMatch(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/);
  expect(safeFileName(name)).toBe(name); // idempotent: a safe name stays as it is
}

describe('safe file names (FILE-03)', () => {
  it.each([
    ['../../etc/passwd', '__.._etc_passwd'],
    ['..', '_'],
    ['.', '_'],
    ['.bashrc', '_bashrc'],
    ['C:\\Windows\\system32\\evil.dll', 'C__Windows_system32_evil.dll'],
    ['/absolute/path.txt', '_absolute_path.txt'],
    ['CON', '_CON'],
    ['nul.txt', '_nul.txt'],
    ['Com1.tar.gz', '_Com1.tar.gz'],
    ['lpt¹', '_lpt¹'],
    ['console.txt', 'console.txt'],
    ['trailing dots...', 'trailing dots'],
    ['trailing space.txt  ', 'trailing space.txt'],
    ['invoice\u202Egpj.exe', 'invoicegpj.exe'],
    ['zero\u200Bwidth.txt', 'zerowidth.txt'],
    ['tab\there\nnew.txt', 'tab here new.txt'],
    ['bell\u0007.txt', 'bell.txt'],
    ['', 'file'],
    ['\u202E', 'file'],
    ['e\u0301.txt', 'é.txt'],
    ['what?<>|*".txt', 'what______.txt'],
  ])('FILE-03: %j becomes %j', (offered, expected) => {
    expect(safeFileName(offered)).toBe(expected);
    expectSafe(safeFileName(offered));
  });

  it('FILE-03: an over-long name is cut to 255 UTF-8 bytes on a character boundary, keeping the extension', () => {
    const long = `${'😀'.repeat(100)}.jpeg`;
    const safe = safeFileName(long);
    expect(utf8(safe)).toBeLessThanOrEqual(255);
    expect(safe.endsWith('.jpeg')).toBe(true);
    expect(safe).toBe(`${'😀'.repeat(62)}.jpeg`);
    expect(safeFileName('a'.repeat(300))).toBe('a'.repeat(255));
    // An "extension" longer than 32 bytes is just part of the name.
    expect(safeFileName(`x.${'y'.repeat(300)}`)).toBe(`x.${'y'.repeat(253)}`);
  });

  it('FILE-03: numbered alternatives keep the extension and the byte limit', () => {
    expect(numberedFileName('photo.jpg', 2)).toBe('photo (2).jpg');
    expect(numberedFileName('README', 10)).toBe('README (10)');
    expect(numberedFileName('photo.jpg', 1)).toBe('photo.jpg');
    const long = safeFileName(`${'é'.repeat(200)}.pdf`);
    const second = numberedFileName(long, 2);
    expect(utf8(second)).toBeLessThanOrEqual(255);
    expect(second.endsWith(' (2).pdf')).toBe(true);
  });

  it('FILE-03 (property): any offered string becomes a safe, bounded, idempotent name', () => {
    const nasty = fc.constantFrom('/', '\\', '..', '.', ' ', '\u0000', '\u202E', '\u2066', '\u200B', '\uFEFF', '\ud800', '\udc00', 'CON', 'lpt1', ':', '*', '😀', 'é', 'e\u0301', '\n', '\u2028');
    const offered = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 400 }),
      fc.array(fc.oneof(nasty, fc.string({ maxLength: 8 })), { maxLength: 80 }).map((parts) => parts.join('')),
    );
    fc.assert(
      fc.property(offered, fc.integer({ min: 2, max: 100_000 }), (text, n) => {
        const safe = safeFileName(text);
        expectSafe(safe);
        const numbered = numberedFileName(safe, n);
        expect(utf8(numbered)).toBeLessThanOrEqual(255);
        expect(numbered).not.toMatch(/[/\\]/);
        expect(numbered).not.toBe(safe);
      }),
      { numRuns: 2000 },
    );
  });
});

import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { FILE_LIMITS, parseFileFrame } from '../src/files/index';

const doc = readFileSync(fileURLToPath(new URL('../../../PROTOCOL.md', import.meta.url)), 'utf8');
const section = doc.split('## 8. Files')[1] ?? '';

describe('PROTOCOL.md §8 (FILE-01..03)', () => {
  it('FILE-01: every frame shown in §8.2 parses, so the document cannot drift from the schemas', () => {
    const examples = section.split('<!-- file-examples:start -->')[1]?.split('<!-- file-examples:end -->')[0] ?? '';
    const blocks = [...examples.matchAll(/```json\n(.+)\n```/g)].map((m) => m[1]!);
    expect(blocks).toHaveLength(2);
    for (const block of blocks) expect(parseFileFrame(block), block).toMatchObject({ ok: true });
  });

  it('FILE-01: the limits table of §8.6 states the limits the code enforces', () => {
    const n = (x: number) => x.toLocaleString('en-US').replace(/,/g, ' ');
    expect(section).toContain(`| \`maxControlFrameBytes\` | ${n(FILE_LIMITS.maxControlFrameBytes)} bytes`);
    expect(section).toContain(`| \`maxOfferedNameChars\` | ${n(FILE_LIMITS.maxOfferedNameChars)}; stored names at most ${FILE_LIMITS.maxSafeNameBytes} bytes`);
    expect(section).toContain(`| \`maxCaptionChars\` | ${n(FILE_LIMITS.maxCaptionChars)} code points`);
    expect(section).toContain(`| \`maxPreviewBytes\` | ${n(FILE_LIMITS.maxPreviewBytes)} `);
    expect(section).toContain(`| chunk | ${n(FILE_LIMITS.minChunkBytes)} … ${n(FILE_LIMITS.maxChunkBytes)} bytes`);
  });
});

import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseMessageFrame } from '../src/messages/index';

describe('PROTOCOL.md §7 examples (MSG-01..03)', () => {
  it('MSG-01: every frame shown in PROTOCOL.md §7.2 parses, so the document cannot drift from the schemas', () => {
    const doc = readFileSync(fileURLToPath(new URL('../../../PROTOCOL.md', import.meta.url)), 'utf8');
    const section = doc.split('<!-- message-examples:start -->')[1]?.split('<!-- message-examples:end -->')[0] ?? '';
    const blocks = [...section.matchAll(/```json\n(.+)\n```/g)].map((m) => m[1]!);
    expect(blocks).toHaveLength(8);
    for (const block of blocks) expect(parseMessageFrame(block), block).toMatchObject({ ok: true });
  });
});

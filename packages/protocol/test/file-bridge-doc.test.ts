import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { FILE_BRIDGE_LIMITS, fileCalls, fileEvents } from '../src/bridge/index';

const doc = readFileSync(fileURLToPath(new URL('../../../PROTOCOL.md', import.meta.url)), 'utf8');
const section = doc.split('### 8.7 The window\'s side: the local bridge')[1]?.split('## 9.')[0] ?? '';

describe('PROTOCOL.md §8.7: the files part of the local bridge (FILE-01..03)', () => {
  it('FILE-01: every file call and event of the contract is documented, and nothing else', () => {
    for (const name of [...Object.keys(fileCalls), ...Object.keys(fileEvents)]) expect(section, name).toContain(`\`${name}`);
    const documented = new Set([...section.matchAll(/`(files\.[a-zA-Z]+)/g)].map((m) => m[1]!));
    expect([...documented].sort()).toEqual([...Object.keys(fileCalls), ...Object.keys(fileEvents)].sort());
  });

  it('FILE-01: the limits it states are the ones the schemas enforce', () => {
    expect(FILE_BRIDGE_LIMITS).toMatchObject({ maxUploadBytes: 4 * 1024 ** 3, uploadChunkBytes: 262_144, maxUploads: 4, maxOutgoing: 32, listPage: 16 });
    expect(section).toContain('`size` (0–4 GiB)');
    expect(section).toContain('(≤ 262 144 bytes decoded)');
    expect(section).toContain('`UPLOAD_LIMIT` (4 at once,');
    expect(section).toContain('`UPLOAD_QUEUE_FULL` (32 outgoing files');
    expect(section).toContain('`limit?` (1–16)');
  });
});

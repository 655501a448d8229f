import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  CLIENT_MESSAGE_TYPES,
  CLOSE_CODES,
  LIMITS,
  parseClientFrame,
  parseServerFrame,
  SERVER_MESSAGE_TYPES,
  SESSION_ERROR_CODES,
  SIGNAL_ERROR_CODES,
} from '../src/index';

const doc = readFileSync(fileURLToPath(new URL('../../../PROTOCOL.md', import.meta.url)), 'utf8');

function examples(direction: 'client' | 'server'): string[] {
  const block = new RegExp(`<!-- wire-examples:${direction}:start -->([\\s\\S]*?)<!-- wire-examples:${direction}:end -->`).exec(doc);
  if (!block?.[1]) throw new Error(`PROTOCOL.md has no ${direction} wire examples`);
  return [...block[1].matchAll(/```json\n([\s\S]*?)\n```/g)].map((m) => m[1] as string);
}

describe('PROTOCOL.md §5: the wire section matches the schemas', () => {
  it('every client example parses, and every client message type has one', () => {
    const types = examples('client').map((text) => {
      const result = parseClientFrame(text);
      expect(result, text).toMatchObject({ ok: true });
      return result.ok ? result.message.type : '';
    });
    expect(new Set(types)).toEqual(new Set(CLIENT_MESSAGE_TYPES));
  });

  it('every server example parses, and every server message type has one', () => {
    const types = examples('server').map((text) => {
      const result = parseServerFrame(text);
      expect(result, text).toMatchObject({ ok: true });
      return result.ok ? result.message.type : '';
    });
    expect(new Set(types)).toEqual(new Set(SERVER_MESSAGE_TYPES));
  });

  it('every close code and error code is in the tables', () => {
    for (const [name, code] of Object.entries(CLOSE_CODES)) expect(doc).toContain(`| ${code} | \`${name}\` |`);
    for (const code of [...SIGNAL_ERROR_CODES, ...SESSION_ERROR_CODES]) expect(doc).toContain(`\`${code}\``);
  });

  it('the limits table states the values in LIMITS', () => {
    const spaced = (n: number): string => n.toLocaleString('en-US').replace(/,/g, ' ');
    expect(doc).toContain(`| \`maxFrameBytes\` | ${spaced(LIMITS.maxFrameBytes)} bytes`);
    expect(doc).toContain(`| \`maxContacts\` | ${spaced(LIMITS.maxContacts)} keys`);
    expect(doc).toContain(`| \`maxSignalPayloadChars\` | ${spaced(LIMITS.maxSignalPayloadChars)} characters`);
    expect(doc).toContain(`| \`maxContactRequestPayloadChars\` | ${spaced(LIMITS.maxContactRequestPayloadChars)} characters`);
    expect(doc).toContain(`| \`authTimestampSkewMs\` | ± ${spaced(LIMITS.authTimestampSkewMs)} ms`);
    expect(doc).toContain(`| \`nonceBytes\` | ${LIMITS.nonceBytes} |`);
  });
});

import { ESLint } from 'eslint';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../..', import.meta.url));

async function ruleIdsFor(code: string, filePath: string): Promise<string[]> {
  const eslint = new ESLint({ cwd: root });
  const [result] = await eslint.lintText(code, { filePath: `${root}/${filePath}` });
  return (result?.messages ?? []).map((m) => m.ruleId ?? 'fatal');
}

describe('runtime boundaries (CONVENTIONS 1)', () => {
  it('protocol may not import Node built-ins, with or without the node: scheme', async () => {
    expect(await ruleIdsFor("import { readFileSync } from 'node:fs';\nexport const x = readFileSync;\n", 'packages/protocol/src/x.ts')).toContain('no-restricted-imports');
    expect(await ruleIdsFor("import crypto from 'crypto';\nexport const x = crypto;\n", 'packages/protocol/src/x.ts')).toContain('no-restricted-imports');
  });

  it('protocol may not touch DOM or Node globals', async () => {
    expect(await ruleIdsFor('export const x = window.location;\n', 'packages/protocol/src/x.ts')).toContain('no-restricted-globals');
    expect(await ruleIdsFor('export const x = Buffer.from([]);\n', 'packages/protocol/src/x.ts')).toContain('no-restricted-globals');
  });

  it('core may use Node built-ins', async () => {
    expect(await ruleIdsFor("import { readFileSync } from 'node:fs';\nexport const x = readFileSync;\n", 'packages/core/src/x.ts')).toEqual([]);
  });

  it('the server may not import the client core', async () => {
    expect(await ruleIdsFor("import { Identity } from '@discordopus/core';\nexport const x = Identity;\n", 'packages/server/src/x.ts')).toContain('no-restricted-imports');
  });

  it('the app may not import Node built-ins or reach around the bridge into the core', async () => {
    expect(await ruleIdsFor("import { readFileSync } from 'node:fs';\nexport const x = readFileSync;\n", 'packages/app/src/x.ts')).toContain('no-restricted-imports');
    expect(await ruleIdsFor("import { Identity } from '@discordopus/core';\nexport const x = Identity;\n", 'packages/app/src/x.tsx')).toContain('no-restricted-imports');
    expect(await ruleIdsFor("import { bridgeCalls } from '@discordopus/protocol/bridge';\nexport const x = bridgeCalls;\n", 'packages/app/src/x.ts')).toEqual([]);
  });

  it('P2P-01: only the client core may import the WebRTC engine (node-datachannel)', async () => {
    const code = "import ndc from 'node-datachannel';\nexport const x = ndc;\n";
    expect(await ruleIdsFor(code, 'packages/core/src/links/x.ts')).toEqual([]);
    for (const file of ['packages/protocol/src/x.ts', 'packages/server/src/x.ts', 'packages/app/src/x.ts', 'packages/desktop/src/x.ts', 'packages/test-support/src/x.ts']) {
      expect(await ruleIdsFor(code, file), file).toContain('no-restricted-imports');
    }
    expect(await ruleIdsFor("import { PeerConnection } from 'node-datachannel/polyfill';\nexport const x = PeerConnection;\n", 'packages/app/src/x.ts')).toContain('no-restricted-imports');
  });
});

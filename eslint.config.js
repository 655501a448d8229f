// @ts-check
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

/** Node built-ins, spelled with and without the `node:` scheme. */
const nodeBuiltins = [
  'node:*',
  'assert', 'buffer', 'child_process', 'crypto', 'dgram', 'dns', 'events', 'fs', 'fs/promises',
  'http', 'https', 'net', 'os', 'path', 'process', 'stream', 'tls', 'url', 'util', 'worker_threads', 'zlib',
];

/** CONVENTIONS 1: only the client core touches the WebRTC engine (P2P-01). */
const engineOnlyInCore = {
  group: ['node-datachannel', 'node-datachannel/*'],
  message: 'only packages/core may import node-datachannel (CONVENTIONS 1).',
};

export default tseslint.config(
  { ignores: ['**/node_modules/**', '**/dist/**', '.tsbuild/**', 'artifacts/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.js', '**/*.mjs', '**/*.cjs'],
    languageOptions: { globals: { ...globals.node } },
  },
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-restricted-syntax': [
        'error',
        {
          selector: "CallExpression[callee.property.name='only'][callee.object.name=/^(it|test|describe)$/]",
          message: 'Focused tests hide the rest of the suite.',
        },
      ],
    },
  },
  {
    // CONVENTIONS 1: the protocol package runs anywhere. No Node built-ins, no DOM, no React.
    files: ['packages/protocol/**/*.ts'],
    ignores: ['packages/protocol/**/*.test.ts'],
    languageOptions: { globals: {} },
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: nodeBuiltins, message: 'protocol must not import Node built-ins (CONVENTIONS 1).' },
            { group: ['react', 'react-dom', 'react/*'], message: 'protocol must not import React.' },
            engineOnlyInCore,
            {
              group: ['@discordopus/core', '@discordopus/server', '@discordopus/app', '@discordopus/desktop'],
              message: 'protocol depends on nothing of ours.',
            },
          ],
        },
      ],
      'no-restricted-globals': [
        'error',
        { name: 'window', message: 'protocol runs anywhere: no DOM.' },
        { name: 'document', message: 'protocol runs anywhere: no DOM.' },
        { name: 'Buffer', message: 'protocol runs anywhere: use Uint8Array.' },
        { name: 'process', message: 'protocol runs anywhere: no process.' },
      ],
    },
  },
  {
    // The server never reaches into the client core, and the reverse.
    files: ['packages/server/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['@discordopus/core', '@discordopus/app'], message: 'server depends only on protocol.' }, engineOnlyInCore] },
      ],
    },
  },
  {
    files: ['packages/core/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: ['@discordopus/server', '@discordopus/app'], message: 'core depends only on protocol (tests may import the server).' }] }],
    },
  },
  {
    // Issue #11: storage never leans on the network side of the core. (Repeats the core rule
    // above: a later block replaces a rule's options for its files.)
    files: ['packages/core/src/{vault,settings,contacts,identity,backup,profile}/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['@discordopus/server', '@discordopus/app'], message: 'core depends only on protocol (tests may import the server).' },
            {
              group: ['**/client/*', '**/signaling/*', '**/presence/*', '**/links/*', '**/cli/*', '**/ice/ice-manager', '**/ice/ice-config'],
              message: 'storage (vault, settings, contacts, identity) must not import the network layer; move shared schemas down (issue #11).',
            },
          ],
        },
      ],
    },
  },
  {
    // CONVENTIONS 1: the app runs in the browser. No Node built-ins; it reaches the core only
    // through the bridge contract in protocol.
    files: ['packages/app/**/*.ts', 'packages/app/**/*.tsx'],
    ignores: ['packages/app/vite.config.ts'],
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: nodeBuiltins, message: 'app runs in the browser: no Node built-ins (CONVENTIONS 1).' },
            engineOnlyInCore,
            {
              group: ['@discordopus/core', '@discordopus/server', '@discordopus/desktop'],
              message: 'app talks to the core only through the bridge (@discordopus/protocol/bridge).',
            },
          ],
        },
      ],
      'no-restricted-globals': [
        'error',
        { name: 'Buffer', message: 'app runs in the browser: use Uint8Array.' },
        { name: 'process', message: 'app runs in the browser: no process.' },
      ],
    },
  },
  {
    files: ['packages/desktop/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['@discordopus/app'], message: 'desktop serves the built app files; it does not import the app.' }, engineOnlyInCore] },
      ],
    },
  },
  {
    files: ['packages/test-support/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [engineOnlyInCore] }] },
  },
  {
    files: ['packages/core/**/*.test.ts', 'packages/core/test/**/*.ts'],
    rules: { 'no-restricted-imports': 'off' },
  },
);

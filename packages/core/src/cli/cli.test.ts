import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { encodeUserId, hexToBytes, SMALL_ORDER_KEYS } from '@discordopus/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import { Identity } from '../identity/identity';
import { TEST_ONLY_CHEAP_SCRYPT } from '../vault/kdf';
import { main, parseCli } from './cli';

const PASS = 'correct horse battery staple';
const homes: string[] = [];
afterEach(() => {
  for (const h of homes.splice(0)) rmSync(h, { recursive: true, force: true });
});

async function run(home: string, args: string[], env: NodeJS.ProcessEnv = { DISCORDOPUS_PASSPHRASE: PASS }) {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (d) => (out += d));
  stderr.on('data', (d) => (err += d));
  const code = await main(['--home', home, ...args], { env, stdout, stderr, kdf: TEST_ONLY_CHEAP_SCRYPT, untilStopped: async () => {} });
  return { code, out, err };
}

function newHome(): string {
  const h = mkdtempSync(join(tmpdir(), 'dop-cli-'));
  homes.push(h);
  return h;
}

describe('discordopus-cli (headless use)', () => {
  it('IDEN-01, CONT-01..04: create, show ID, add, rename, list, remove', async () => {
    const home = newHome();
    const created = await run(home, ['--json', 'create', '--name', 'Alice']);
    expect(created.code).toBe(0);
    const { userId } = JSON.parse(created.out) as { userId: string };
    expect((await run(home, ['id'])).out.trim()).toBe(userId);

    // A real key: an ID made of arbitrary bytes is refused (CONTACT_KEY_UNUSABLE, PROTOCOL.md §1).
    const bob = Identity.create('Bob').userId;
    expect((await run(home, ['add', bob, '--nickname', 'Bob'])).code).toBe(0);
    expect((await run(home, ['rename', bob, 'Bobby'])).out).toContain('Bobby');
    const listed = await run(home, ['--json', 'contacts']);
    expect(JSON.parse(listed.out)).toMatchObject({ userId: bob, nickname: 'Bobby', onlineStatus: 'unknown' });
    expect((await run(home, ['remove', bob])).code).toBe(0);
    expect((await run(home, ['contacts'])).out).toContain('No contacts yet');
  });

  it('IDEN-02, CONT-01: a mistyped ID, or one of an unusable key, is refused with its code and a sentence', async () => {
    const home = newHome();
    await run(home, ['create', '--name', 'Alice']);
    const bob = Identity.create('Bob').userId;
    const typo = `${bob.slice(0, 20)}${bob[20] === 'q' ? 'p' : 'q'}${bob.slice(21)}`;
    const r = await run(home, ['add', typo]);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/^USER_ID_BAD_CHECKSUM: /);
    // A well-formed ID of a key anyone could impersonate (the identity point).
    const weak = await run(home, ['add', encodeUserId(hexToBytes(SMALL_ORDER_KEYS[0] as string))]);
    expect(weak.code).toBe(1);
    expect(weak.err).toMatch(/^CONTACT_KEY_UNUSABLE: That ID does not name a usable identity key/);
  });

  it('PRES-01: the status is stored in the profile', async () => {
    const home = newHome();
    await run(home, ['create', '--name', 'Alice']);
    expect((await run(home, ['status', 'busy'])).out.trim()).toBe('busy');
    expect((await run(home, ['status'])).out.trim()).toBe('busy');
    expect((await run(home, ['status', 'sleepy'])).err).toMatch(/^USAGE: /);
  });

  it('VAULT-02: a wrong passphrase is a clear error; no passphrase off a terminal is too', async () => {
    const home = newHome();
    await run(home, ['create', '--name', 'Alice']);
    expect((await run(home, ['id'], { DISCORDOPUS_PASSPHRASE: 'not the passphrase at all' })).err).toMatch(/^WRONG_PASSPHRASE: /);
    expect((await run(home, ['id'], {})).err).toMatch(/^PASSPHRASE_REQUIRED: /);
  });

  it('INFR-04: connect refuses ws:// to a remote host and says why', async () => {
    const home = newHome();
    await run(home, ['create', '--name', 'Alice']);
    expect((await run(home, ['server', 'ws://chat.example.org:7717'])).code).toBe(0);
    const r = await run(home, ['connect']);
    expect(r.code).toBe(1);
    expect(r.out).toContain('connection failed INSECURE_SERVER_URL');
  });

  it('prints usage for unknown commands and flags', async () => {
    const home = newHome();
    expect((await run(home, ['frobnicate'])).err).toMatch(/Unknown command/);
    expect((await run(home, ['--bogus'])).code).toBe(2);
    expect((await run(home, ['--jsn', 'id'])).err).toMatch(/Unknown option '--jsn'/);
  });

  it('FILE-01, MSG-01: an argument that starts with a single "-" (a transfer ID, 1 in 64 of them; a message) is an argument, not a flag; values of flags may start with "-" too', () => {
    expect(parseCli(['accept', '-2QvX_aZ09-bcdEFghijkl', '--json']).positionals).toEqual(['accept', '-2QvX_aZ09-bcdEFghijkl']);
    const sent = parseCli(['--json', 'send', 'bob', '-1 from me', '--no-wait']);
    expect(sent.positionals).toEqual(['send', 'bob', '-1 from me']);
    expect(sent.values).toMatchObject({ json: true, 'no-wait': true });
    expect(parseCli(['rename', 'dopus1x', '--nickname', '-dash-']).values.nickname).toBe('-dash-');
    expect(parseCli(['--home', '-h', 'id'])).toMatchObject({ values: { home: '-h', help: false }, positionals: ['id'] });
    expect(parseCli(['-h']).values.help).toBe(true);
    expect(parseCli(['send', '--', '--not-a-flag']).positionals).toEqual(['send', '--not-a-flag']);
    expect(() => parseCli(['--home'])).toThrow(/'--home'/);
  });
});

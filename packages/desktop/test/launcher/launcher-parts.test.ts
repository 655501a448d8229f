import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { silentLogger } from '@discordopus/core';
import { startSignalingServer } from '@discordopus/server';
import { afterEach, describe, expect, it } from 'vitest';
import { probePort, startEmbeddedServer } from '../../src/launcher/embedded-server';
import { parseLauncherArgs } from '../../src/launcher/launcher-args';
import { SharedEmbeddedServer } from '../../src/launcher/shared-embedded-server';
import { chooseSignaling } from '../../src/launcher/signaling-choice';
import { waitUntil } from '../helpers/wait';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function plainHttpServer(): Promise<number> {
  const server: Server = createServer((_req, res) => res.end('hello'));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(() => new Promise((resolve) => server.close(() => resolve())));
  return (server.address() as AddressInfo).port;
}

describe('launcher arguments (UI-01)', () => {
  it('has defaults for everything and reads the browser from the environment', () => {
    expect(parseLauncherArgs([], {})).toEqual({
      profile: 'default',
      home: null,
      servers: [],
      embeddedServer: true,
      embeddedPort: 7717,
      browser: null,
      window: true,
      logLevel: 'warn',
      help: false,
    });
    expect(parseLauncherArgs([], { DISCORDOPUS_BROWSER: '/opt/chrome' }).browser).toBe('/opt/chrome');
    const args = parseLauncherArgs(
      ['--profile', 'bob', '--home', '/tmp/h', '--server', 'wss://a.example.org', '--server', 'ws://127.0.0.1:9000', '--no-embedded-server', '--embedded-port', '0', '--browser', '/usr/bin/x', '--no-window'],
      { DISCORDOPUS_BROWSER: '/opt/chrome' },
    );
    expect(args).toMatchObject({ profile: 'bob', home: '/tmp/h', servers: ['wss://a.example.org', 'ws://127.0.0.1:9000'], embeddedServer: false, embeddedPort: 0, browser: '/usr/bin/x', window: false });
  });

  it('refuses a bad profile name, a plain ws:// to another machine, a bad port and unknown flags', () => {
    expect(() => parseLauncherArgs(['--profile', '../etc'], {})).toThrow(/profile/);
    expect(() => parseLauncherArgs(['--server', 'ws://signal.example.org'], {})).toThrow(/wss:\/\//);
    expect(() => parseLauncherArgs(['--embedded-port', '70000'], {})).toThrow(/--embedded-port/);
    expect(() => parseLauncherArgs(['--frobnicate'], {})).toThrow(/frobnicate/);
  });

  it('issue 15 item 8: errors name the flag and say what is expected, never an internal field', () => {
    const message = (argv: string[]) => {
      try {
        parseLauncherArgs(argv, {});
      } catch (err) {
        return (err as Error).message;
      }
      return 'NO ERROR';
    };
    expect(message(['--embedded-port', '70000'])).toBe('--embedded-port: a port is a whole number from 0 to 65535');
    expect(message(['--log-level', 'loud'])).toBe('--log-level: the log level is one of silent, error, warn, info, debug');
    expect(message(['--server', 'ws://signal.example.org'])).toMatch(/^--server: ws:\/\/signal\.example\.org: Use wss:\/\//);
    expect(message(['--frobnicate'])).toBe('--frobnicate is not an option of discordopus.');
    expect(message(['--profile'])).toBe('--profile needs a value: --profile VALUE.');
    expect(message(['--no-window=yes'])).toBe('--no-window takes no value.');
    expect(message(['stray'])).toBe('Unexpected argument "stray": every option starts with --.');
    for (const argv of [['--embedded-port', 'x'], ['--log-level', 'x'], ['--server', 'ws://a.example.org'], ['--server', 'ws://a.example.org', '--log-level', 'x']]) {
      expect(message(argv)).not.toMatch(/embeddedPort|logLevel|servers\.\d|Too big|Invalid option|expected/);
    }
  });
});

describe('which signaling server a profile uses (UI-02)', () => {
  const fresh = ['ws://127.0.0.1:7717'];
  it('prefers --server, then the profile’s own servers, then the embedded server', () => {
    expect(chooseSignaling({ serverFlag: ['wss://a.example.org'], embeddedServer: true, profileUrls: fresh })).toEqual({ kind: 'flag', urls: ['wss://a.example.org'] });
    expect(chooseSignaling({ serverFlag: [], embeddedServer: true, profileUrls: ['wss://mine.example.org'] })).toEqual({ kind: 'profile' });
    expect(chooseSignaling({ serverFlag: [], embeddedServer: true, profileUrls: fresh })).toEqual({ kind: 'embedded' });
    expect(chooseSignaling({ serverFlag: [], embeddedServer: false, profileUrls: fresh })).toEqual({ kind: 'profile' });
  });
});

describe('embedded signaling server (UI-01)', () => {
  it('listens on the asked port when it is free', async () => {
    const port = await plainHttpServer();
    await cleanups.pop()?.(); // the port is free again
    const server = await startEmbeddedServer({ port, logger: silentLogger, config: { logLevel: 'silent' } });
    cleanups.push(() => server.close());
    expect(server).toMatchObject({ port, owned: true, url: `ws://127.0.0.1:${port}` });
    expect(await probePort(port)).toBe('discordopus');
  });

  it('shares a DiscordOpus server already on the port (another profile’s launcher)', async () => {
    const existing = await startSignalingServer({ port: 0, host: '127.0.0.1', logLevel: 'silent' }, { processMetrics: false });
    cleanups.push(() => existing.close());
    const server = await startEmbeddedServer({ port: existing.port, logger: silentLogger });
    expect(server).toMatchObject({ port: existing.port, owned: false, url: existing.url });
    await server.close();
    expect(await probePort(existing.port)).toBe('discordopus');
  });

  it('moves to a free port when something else holds the asked one', async () => {
    const taken = await plainHttpServer();
    expect(await probePort(taken)).toBe('other');
    const server = await startEmbeddedServer({ port: taken, logger: silentLogger, config: { logLevel: 'silent' } });
    cleanups.push(() => server.close());
    expect(server.owned).toBe(true);
    expect(server.port).not.toBe(taken);
    expect(await probePort(server.port)).toBe('discordopus');
  });
});

describe('embedded server shared between launchers (UI-01)', () => {
  it('starts once, and takes over the port when the launcher that ran the server quits', async () => {
    const first = new SharedEmbeddedServer({ port: 0, logger: silentLogger, home: null });
    cleanups.push(() => first.close());
    const url = await first.url();
    expect(await first.url()).toBe(url);
    expect(await first.owned()).toBe(true);
    const port = Number(new URL(url).port);

    const second = new SharedEmbeddedServer({ port, logger: silentLogger, home: null, watchIntervalMs: 20 });
    cleanups.push(() => second.close());
    expect(await second.url()).toBe(url);
    expect(await second.owned()).toBe(false);

    await first.close();
    await waitUntil(() => second.owned(), 'the second launcher runs the server');
    expect(await probePort(port)).toBe('discordopus');
    await second.close();
    // On a loaded machine a probe can race the listener's close (reset, not refused): wait for it.
    await waitUntil(async () => (await probePort(port)) === 'free', 'the port is released');
  });
});

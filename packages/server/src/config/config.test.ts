import { LIMITS } from '@discordopus/protocol';
import { describe, expect, it } from 'vitest';
import { describeForCli, readConfigSources, envName, flagName } from './cli-args';
import { CONFIG_KEYS, ConfigError, parseServerConfig } from './config';

describe('server config (CONVENTIONS 11)', () => {
  it('defaults: loopback, port 7717, in memory, protocol limits', () => {
    const c = parseServerConfig({});
    expect(c).toMatchObject({ host: '127.0.0.1', port: 7717, maxFrameBytes: LIMITS.maxFrameBytes, authSkewMs: LIMITS.authTimestampSkewMs });
    expect(c.redisUrl).toBeUndefined();
    expect(c.turnSecret).toBeUndefined();
  });

  it('flags and env are derived from the keys; flags win over env', () => {
    expect(flagName('maxConnections')).toBe('max-connections');
    expect(envName('maxConnections')).toBe('DISCORDOPUS_MAX_CONNECTIONS');
    const { raw, errors } = readConfigSources(
      ['--port', '9000', '--stun-urls=stun:a:3478,stun:b:3478', '--max-connections', '5'],
      { DISCORDOPUS_PORT: '8000', DISCORDOPUS_TURN_SECRET: 'from-the-env', DISCORDOPUS_TURN_URLS: 'turn:t:3478' },
    );
    expect(errors).toEqual([]);
    const c = parseServerConfig(raw);
    expect(c.port).toBe(9000);
    expect(c.stunUrls).toEqual(['stun:a:3478', 'stun:b:3478']);
    expect(c.turnUrls).toEqual(['turn:t:3478']);
    expect(c.turnSecret).toBe('from-the-env');
    expect(c.maxConnections).toBe(5);
  });

  it('every key has a flag, an env name and a description', async () => {
    const { describeConfigKey } = await import('./config');
    for (const key of CONFIG_KEYS) expect(describeConfigKey(key), key).not.toBe('');
  });

  it('reports every problem at once', () => {
    let error: unknown;
    try {
      parseServerConfig({ port: 70_000, turnUrls: ['turn:x'], tlsCertFile: 'cert.pem', maxFrameBytes: LIMITS.maxFrameBytes + 1 });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems.join('\n');
    for (const key of ['port', 'turnSecret', 'tlsCertFile', 'maxFrameBytes']) expect(problems).toContain(key);
  });

  it('P2P-04: the login skew cannot be widened past the protocol\'s 60 s, which link set-up freshness (120 s) relies on', () => {
    expect(parseServerConfig({ authSkewMs: LIMITS.authTimestampSkewMs }).authSkewMs).toBe(60_000);
    let error: unknown;
    try {
      parseServerConfig({ authSkewMs: 600_000 });
    } catch (err) {
      error = err;
    }
    expect((error as ConfigError).problems).toEqual(['authSkewMs must be a whole number from 0 to 60000']);
  });

  it('problems read as sentences about the setting, with no zod paths or zod wording', () => {
    let error: unknown;
    try {
      parseServerConfig({ port: '70000', logLevel: 'loud', publicUrl: 'http://x', turnUrls: 'turn:x', nope: 1 });
    } catch (err) {
      error = err;
    }
    expect((error as ConfigError).problems.sort()).toEqual(
      [
        'port must be a whole number from 0 to 65535',
        'logLevel must be one of fatal, error, warn, info, debug, trace, silent',
        'publicUrl must be a ws:// or wss:// URL',
        'turnSecret is needed when turnUrls are set',
        'unknown setting: nope',
      ].sort(),
    );
  });

  it('the CLI names each setting as the user wrote it: the flag, or the environment variable', () => {
    const { raw, errors, sources } = readConfigSources(['--port', 'eighty', '--turn-urls', 'turn:x', '--tls-cert-file', 'c.pem'], {
      DISCORDOPUS_MAX_CONNECTIONS: '0',
      DISCORDOPUS_RELAY_PER_SECOND: '-1',
    });
    expect(errors).toEqual([]);
    let error: unknown;
    try {
      parseServerConfig(raw);
    } catch (err) {
      error = err;
    }
    expect(describeForCli((error as ConfigError).issues, sources).sort()).toEqual(
      [
        '--port must be a whole number from 0 to 65535',
        'DISCORDOPUS_MAX_CONNECTIONS must be a whole number from 1 to 1000000',
        'DISCORDOPUS_RELAY_PER_SECOND must be a number above 0 and at most 1000000000',
        '--tls-cert-file and --tls-key-file go together: set both or neither',
        '--turn-secret is needed when --turn-urls are set',
      ].sort(),
    );
  });

  it('unknown flags and flags without values are errors', () => {
    expect(readConfigSources(['--nope', '1'], {}).errors[0]).toContain('--nope');
    expect(readConfigSources(['--port'], {}).errors[0]).toContain('--port needs a value');
    expect(readConfigSources(['--help'], {}).help).toBe(true);
    expect(readConfigSources(['-h'], {}).help).toBe(true);
    expect(readConfigSources(['--port='], {}).errors).toEqual(['--port needs a value']);
    // A flag right after a flag that needs a value is read as a flag, not as the value.
    const next = readConfigSources(['--port', '--host', '0.0.0.0'], {});
    expect(next.errors).toEqual(['--port needs a value']);
    expect(next.raw).toEqual({ host: '0.0.0.0' });
    expect(readConfigSources(['stray', '-x'], {}).errors).toEqual(['unknown argument: stray', 'unknown argument: -x']);
  });
});

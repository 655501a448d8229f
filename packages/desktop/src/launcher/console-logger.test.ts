import { describe, expect, it } from 'vitest';
import { consoleLogger } from './console-logger';

function capture(level: Parameters<typeof consoleLogger>[0]) {
  const lines: string[] = [];
  return { lines, logger: consoleLogger(level, (line) => lines.push(line)) };
}

describe('the launcher console logger (CONVENTIONS 10)', () => {
  it('writes one readable line per event with its context, children binding theirs', () => {
    const { lines, logger } = capture('info');
    logger.child({ profile: 'alice' }).info({ connections: 1 }, 'app window connected');
    logger.warn({}, 'the app window could not be opened');
    logger.debug({ detail: 'x' }, 'not at info');
    expect(lines).toEqual(['discordopus info: app window connected {"profile":"alice","connections":1}', 'discordopus warn: the app window could not be opened']);
  });

  it('respects the level, and silent writes nothing', () => {
    const warn = capture('warn');
    warn.logger.info({}, 'hidden');
    warn.logger.error({}, 'shown');
    expect(warn.lines).toEqual(['discordopus error: shown']);
    const silent = capture('silent');
    silent.logger.error({}, 'nothing');
    expect(silent.lines).toEqual([]);
  });

  it('redacts passphrases, tokens, keys and SDP, at the top level and one object down', () => {
    const { lines, logger } = capture('debug');
    logger.child({ token: 'bound-token-1' }).warn(
      { passphrase: 'purple tiger', secret: 'ab12', call: { sdp: 'v=0 o=- 1', privateKey: 'k3y' }, reason: 'kept' },
      'something happened',
    );
    const line = lines.join('\n');
    for (const secret of ['bound-token-1', 'purple tiger', 'ab12', 'v=0 o=- 1', 'k3y']) expect(line).not.toContain(secret);
    expect(line).toContain('"reason":"kept"');
    expect(line).toContain('[redacted]');
  });

  it('logs an error as its name and message, not its stack', () => {
    const { lines, logger } = capture('warn');
    logger.warn({ err: new RangeError('out of range') }, 'failed');
    expect(lines).toEqual(['discordopus warn: failed {"err":"RangeError: out of range"}']);
  });
});

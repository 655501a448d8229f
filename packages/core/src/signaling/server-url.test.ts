import { DEFAULT_SIGNALING_URL, checkSignalingUrl, signalingUrlProblem } from '@discordopus/protocol';
import { signalingUrlSchema } from '@discordopus/protocol/bridge';
import { describe, expect, it } from 'vitest';
import { SETTINGS } from '../settings/settings-schema';
import { checkServerUrl } from './server-url';

const SAMPLE = [
  'wss://signal.example.org',
  'wss://signal.example.org:8443/ws?x=1',
  'ws://127.0.0.1:7717',
  'ws://[::1]:7717',
  'ws://localhost',
  'ws://192.168.1.2:7717',
  'ws://signal.example.org',
  'https://signal.example.org',
  'wss://user:pw@signal.example.org',
  'wss://signal.example.org/#frag',
  'wss://signal.example.org:0',
  'wss://signal.example.org:70000',
  'not a url',
  '',
];

function accepts(run: () => unknown): boolean {
  try {
    run();
    return true;
  } catch {
    return false;
  }
}

describe('one set of signaling URL rules for the form, the bridge, the setting and the connection (INFR-04, UI-02)', () => {
  it('the client connects to exactly what the settings form and the bridge accept', () => {
    for (const url of SAMPLE) {
      const formOk = signalingUrlProblem(url) === null;
      expect(signalingUrlSchema.safeParse(url).success, url).toBe(formOk);
      expect(accepts(() => checkServerUrl(url, false)), url).toBe(formOk);
    }
  });

  it('the stored setting checks the shape only; an insecure remote is decided when connecting', () => {
    const setting = SETTINGS['network.signalingUrls'].schema;
    for (const url of SAMPLE) {
      const shapeOk = checkSignalingUrl(url, { allowInsecureRemote: true }).ok;
      expect(setting.safeParse([url]).success, url).toBe(shapeOk);
      expect(accepts(() => checkServerUrl(url, true)), url).toBe(shapeOk);
    }
    expect(() => checkServerUrl('ws://192.168.1.2:7717', false)).toThrow(expect.objectContaining({ code: 'INSECURE_SERVER_URL' }));
    expect(() => checkServerUrl('wss://u:p@host', false)).toThrow(expect.objectContaining({ code: 'BAD_SERVER_URL' }));
  });

  it('a new profile points at the default server on this computer', () => {
    expect(SETTINGS['network.signalingUrls'].default).toEqual([DEFAULT_SIGNALING_URL]);
  });
});

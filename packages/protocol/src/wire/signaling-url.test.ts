import { describe, expect, it } from 'vitest';
import { checkSignalingUrl, signalingUrlProblem } from './signaling-url';

describe('signaling server URL rules, defined once (INFR-04, UI-02)', () => {
  it('accepts wss anywhere and ws to this computer only', () => {
    for (const ok of ['wss://signal.example.org', 'wss://signal.example.org:8443/ws', 'ws://127.0.0.1:4000', 'ws://localhost:4000/', 'ws://[::1]:7717', '  ws://127.0.0.1:7717  ']) {
      expect(signalingUrlProblem(ok), ok).toBeNull();
    }
    expect(checkSignalingUrl('ws://signal.example.org')).toMatchObject({ ok: false, reason: 'insecure', host: 'signal.example.org' });
    expect(checkSignalingUrl('ws://signal.example.org', { allowInsecureRemote: true }).ok).toBe(true);
  });

  it('refuses anything else with one sentence', () => {
    const cases: [string, RegExp][] = [
      ['', /Enter a server address/],
      ['https://signal.example.org', /looks like wss:\/\//],
      ['signal.example.org', /looks like wss:\/\//],
      ['wss://', /looks like wss:\/\//],
      ['wss://host:99999', /port/],
      ['wss://host:0', /port/],
      ['wss://user:pw@host', /user name or password/],
      ['wss://host/#x', /fragment/],
      [`wss://host/${'a'.repeat(2048)}`, /too long/],
    ];
    for (const [url, problem] of cases) {
      const check = checkSignalingUrl(url, { allowInsecureRemote: true });
      expect(check.ok, url).toBe(false);
      if (!check.ok) expect(check.problem, url).toMatch(problem);
    }
  });
});

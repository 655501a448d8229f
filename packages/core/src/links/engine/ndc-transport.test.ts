import { afterEach, describe, expect, it } from 'vitest';
import { waitFor } from '@discordopus/test-support';
import { parseIceUrl, toEngineIceServers } from './ice-servers';
import { engineFingerprint, type LinkCandidate, type LinkTransport } from './link-transport';
import { createNdcTransport, type NdcLinkTransport, retiringEngineObjects } from './ndc-transport';
import { FixtureProcess } from '../../../test/helpers/child-process';

const LOOPBACK = { ice: { iceServers: [], iceTransportPolicy: 'all' as const }, bindAddress: '127.0.0.1' };
const open: LinkTransport[] = [];

afterEach(() => {
  for (const t of open.splice(0)) t.close();
});

function transport(role: 'offerer' | 'answerer'): LinkTransport {
  const t = createNdcTransport({ role, name: role, ...LOOPBACK });
  open.push(t);
  return t;
}

/** Wire two transports directly, recording the order of what each side sends. */
function pair(): { a: LinkTransport; b: LinkTransport; sent: string[] } {
  const a = transport('offerer');
  const b = transport('answerer');
  return { a, b, sent: wire(a, b) };
}

/** Relay descriptions and candidates between two transports; returns the order of what each side sent. */
function wire(a: LinkTransport, b: LinkTransport): string[] {
  const sent: string[] = [];
  a.on('localDescription', (e) => {
    sent.push(`a:${e.type}`);
    setImmediate(() => b.applyRemoteDescription(e.sdp, e.type));
  });
  b.on('localDescription', (e) => {
    sent.push(`b:${e.type}`);
    setImmediate(() => a.applyRemoteDescription(e.sdp, e.type));
  });
  const relay = (to: LinkTransport, who: string) => (e: { candidates: LinkCandidate[] }) => {
    sent.push(`${who}:candidates`);
    setImmediate(() => to.addRemoteCandidates(e.candidates));
  };
  a.on('localCandidates', relay(b, 'a'));
  b.on('localCandidates', relay(a, 'b'));
  return sent;
}

function opened(t: LinkTransport): Promise<void> {
  return new Promise((resolve) => t.on('open', () => resolve()));
}

describe('node-datachannel link transport (P2P-01, P2P-03)', () => {
  it('P2P-01: opens one channel on loopback, carries text both ways, and reports both fingerprints and a direct path', async () => {
    const { a, b, sent } = pair();
    const both = Promise.all([opened(a), opened(b)]);
    a.start();
    await both;
    // Set-up order: descriptions without candidates; the offerer's candidates only after the answer.
    expect(sent.indexOf('a:offer')).toBe(0);
    expect(sent.indexOf('a:candidates')).toBeGreaterThan(sent.indexOf('b:answer'));

    const atB: string[] = [];
    const atA: string[] = [];
    b.on('message', (e) => atB.push(e.text));
    a.on('message', (e) => atA.push(e.text));
    expect(a.send('{"hello":"from a"}')).toBe(true);
    expect(b.send('{"hello":"from b"}')).toBe(true);
    await waitFor(() => atA.length === 1 && atB.length === 1, 'one message each way');
    expect(atB).toEqual(['{"hello":"from a"}']);
    expect(atA).toEqual(['{"hello":"from b"}']);

    expect(a.localFingerprint()).toMatchObject({ algorithm: 'sha-256', value: expect.stringMatching(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/) });
    expect(a.remoteFingerprint()).toEqual(b.localFingerprint());
    expect(b.remoteFingerprint()).toEqual(a.localFingerprint());
    // The peer's address is learned as a host candidate, or as peer-reflexive when its check
    // arrives before its candidate (seen on a loaded machine): direct either way.
    expect(a.selectedPath()).toEqual({ path: 'direct', localType: 'host', remoteType: expect.stringMatching(/^(host|prflx)$/) });
  });

  it('P2P-01: the engine reports bufferedAmountLow once a buffer that filled drains to the threshold', async () => {
    const threshold = 64 * 1024;
    const a = createNdcTransport({ role: 'offerer', name: 'offerer', bufferedAmountLowThreshold: threshold, ...LOOPBACK });
    open.push(a);
    const b = transport('answerer');
    wire(a, b);
    const both = Promise.all([opened(a), opened(b)]);
    a.start();
    await both;
    let received = 0;
    b.on('message', () => (received += 1));
    let lows = 0;
    a.on('bufferedAmountLow', () => (lows += 1));
    // Fill the channel faster than SCTP drains it (one synchronous burst of large messages).
    const chunk = 'x'.repeat(200 * 1024);
    let sent = 0;
    let peak = 0;
    while (sent < 400 && peak <= threshold) {
      expect(a.send(chunk)).toBe(true);
      sent += 1;
      peak = Math.max(peak, a.bufferedAmount());
    }
    expect(peak).toBeGreaterThan(threshold);
    await waitFor(() => lows >= 1, 'bufferedAmountLow');
    expect(a.bufferedAmount()).toBeLessThanOrEqual(threshold);
    await waitFor(() => received === sent, 'every message delivered');
  });

  it('P2P-01: close() never releases the engine inside the caller’s turn, and the engine objects are let go only once the engine reported them closed', async () => {
    const { a, b } = pair();
    const both = Promise.all([opened(a), opened(b)]);
    a.start();
    await both;
    const [ta, tb] = [a as NdcLinkTransport, b as NdcLinkTransport];
    // Closing from inside an engine callback (a message) must not release the engine there.
    let inCallback: string | null = null;
    b.on('message', () => {
      b.close();
      inCallback = tb.engineState;
    });
    expect(a.send('{"bye":1}')).toBe(true);
    await waitFor(() => inCallback !== null, 'closed from a message callback');
    expect(inCallback).toBe('live');
    a.close(); // or already closing: b's close reached it
    await waitFor(() => ta.engineState === 'let-go' && tb.engineState === 'let-go', 'both engines reported closed');
    await waitFor(() => retiringEngineObjects() === 0, 'nothing left retiring');
  });

  it('P2P-01: closing one side closes the other, which reports it once', async () => {
    const { a, b } = pair();
    const both = Promise.all([opened(a), opened(b)]);
    a.start();
    await both;
    const closes: string[] = [];
    b.on('closed', (e) => closes.push(e.reason));
    a.close();
    await waitFor(() => closes.length > 0, 'b notices the close');
    expect(closes).toEqual(['closed']);
    expect(a.send('late')).toBe(false);
  });

  it('P2P-04: a description the engine refuses closes the transport with a reason instead of throwing', async () => {
    const b = transport('answerer');
    const closes: string[] = [];
    b.on('closed', (e) => closes.push(e.reason));
    b.applyRemoteDescription('v=0\r\nthis is not sdp\r\n', 'offer');
    await waitFor(() => closes.length > 0, 'closed');
    expect(closes).toEqual(['engine-error']);
  });

  it('P2P-03: ICE URLs become the engine’s object form; TURN keeps a time-limited username as it is', () => {
    expect(parseIceUrl('stun:127.0.0.1:3478')).toEqual({ scheme: 'stun', host: '127.0.0.1', port: 3478, transport: 'udp' });
    expect(parseIceUrl('turn:[::1]?transport=tcp')).toEqual({ scheme: 'turn', host: '::1', port: 3478, transport: 'tcp' });
    expect(parseIceUrl('turns:relay.example')).toMatchObject({ port: 5349 });
    expect(parseIceUrl('turn:host:99999')).toBeNull();
    expect(parseIceUrl('http://x')).toBeNull();
    expect(
      toEngineIceServers({
        iceServers: [
          { urls: ['stun:127.0.0.1:3478', 'turn:127.0.0.1:3479'], username: '1700000000:s1', credential: 'c2VjcmV0' },
          { urls: ['turn:127.0.0.1:3480'] },
        ],
        iceTransportPolicy: 'relay',
      }),
    ).toEqual([
      { hostname: '127.0.0.1', port: 3478 },
      { hostname: '127.0.0.1', port: 3479, username: '1700000000:s1', password: 'c2VjcmV0', relayType: 'TurnUdp' },
    ]);
  });

  it('P2P-02: a fingerprint as the engine reports it is normalized and checked', () => {
    const hex = Array.from({ length: 32 }, (_, i) => i.toString(16).padStart(2, '0')).join(':');
    expect(engineFingerprint('SHA-256', hex)).toEqual({ algorithm: 'sha-256', value: hex.toUpperCase() });
    expect(engineFingerprint('md5', hex)).toBeNull();
    expect(engineFingerprint('sha-256', 'zz')).toBeNull();
  });
});

describe('engine process hygiene (P2P-01)', () => {
  it('P2P-01: after a link is closed and the engine released, Node exits by itself', async () => {
    const child = new FixtureProcess('link-pair-exit.ts', []);
    try {
      await child.waitFor((lines) => lines.includes('done'));
      // No kill: the process must end on its own (the test's own timeout fails it otherwise).
      expect(await child.exited).toEqual({ code: 0, signal: null });
      expect(child.lines).toEqual(['got ping', 'done']);
    } finally {
      if (child.child.exitCode === null) await child.kill();
    }
  });
});

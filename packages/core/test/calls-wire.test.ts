import { bytesToBase64url } from '@discordopus/protocol';
import type { CallFrame } from '@discordopus/protocol/calls';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CallWireError } from '../src/client/client-calls';
import type { ApplicationFrame } from '../src/links/link-events';
import { shutdownLinkEngine } from '../src/links/engine/ndc-transport';
import { addContacts, cleanupLinkCores, createProfileDir } from './harness/link-core';
import { type MessageCore, startMessageCore } from './harness/message-core';
import { freePort, startServerProcess, waitFor, type ServerProcess } from './harness/server-process';

/**
 * Call frames between real client cores (issue #14, VOICE-02): real vaults, a real signaling
 * server process, real data channels on 127.0.0.1. The app side of a call is played by the
 * test through the root's `sendCallFrame` / `callFrame`; the server's own counters show that
 * nothing about the call went through it.
 */
let server: ServerProcess;
const cores: MessageCore[] = [];

const callId = bytesToBase64url(new Uint8Array(16).fill(4));
const fingerprint = `sha-256 ${Array.from({ length: 32 }, () => '7F').join(':')}`;
const sdp = 'v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\nm=audio 9 UDP/TLS/RTP/SAVPF 111\r\n';
const candidate = { candidate: 'candidate:1 1 udp 2122260223 127.0.0.1 50000 typ host', sdpMid: '0', sdpMLineIndex: 0, usernameFragment: null };

interface CallCore {
  core: MessageCore;
  frames: { peer: string; frame: CallFrame }[];
}

async function start(name: string, dir: string): Promise<CallCore> {
  const core = await startMessageCore(name, server.url, { dir });
  cores.push(core);
  const frames: CallCore['frames'] = [];
  core.root.on('callFrame', (e) => frames.push(e));
  return { core, frames };
}

async function pair(): Promise<[CallCore, CallCore]> {
  const a = await createProfileDir('Alice');
  const b = await createProfileDir('Bob');
  await addContacts(a.dir, [b.userId]);
  await addContacts(b.dir, [a.userId]);
  const alice = await start('Alice', a.dir);
  const bob = await start('Bob', b.dir);
  await waitFor(() => alice.core.vault.contacts.presenceOf(bob.core.hex) === 'online' && bob.core.vault.contacts.presenceOf(alice.core.hex) === 'online', 'online to each other');
  return [alice, bob];
}

/** The server's relay counters (what it forwarded between clients), from its metrics page. */
async function relayCounters(): Promise<string> {
  const text = await fetch(`${server.url.replace('ws', 'http')}/metrics`).then((r) => r.text());
  return text
    .split('\n')
    .filter((line) => /^discordopus_messages_(in|out)_total\{type="signal\.(send|relay|error)"\}/.test(line))
    .join('\n');
}

const types = (c: CallCore) => c.frames.map((f) => f.frame.type);

beforeAll(async () => {
  server = await startServerProcess(await freePort(), ['--offline-grace-ms', '0']);
});

afterEach(() => {
  for (const c of cores.splice(0)) c.stop();
});

afterAll(async () => {
  await server.kill();
  cleanupLinkCores();
  await shutdownLinkEngine();
});

describe('call frames on the direct link (VOICE-02, issue #14)', () => {
  it('VOICE-02: invite opens the link, ringing/accept/candidates/hangup travel both ways, and the server relays nothing between accept and hang-up', async () => {
    const [alice, bob] = await pair();
    alice.core.root.sendCallFrame(bob.core.hex, { type: 'call.invite', callId, fingerprint, sdp });
    await waitFor(() => types(bob).includes('call.invite'), 'the invite at Bob');
    expect(bob.frames[0]).toEqual({ peer: alice.core.hex, frame: { type: 'call.invite', callId, fingerprint, sdp } });
    bob.core.root.sendCallFrame(alice.core.hex, { type: 'call.ringing', callId });
    await waitFor(() => types(alice).includes('call.ringing'), 'ringing at Alice');

    const before = await relayCounters();
    expect(before).toContain('signal.relay'); // the link's own set-up went through the server
    bob.core.root.sendCallFrame(alice.core.hex, { type: 'call.accept', callId, fingerprint, sdp });
    bob.core.root.sendCallFrame(alice.core.hex, { type: 'call.candidates', callId, candidates: [candidate] });
    alice.core.root.sendCallFrame(bob.core.hex, { type: 'call.candidates', callId, candidates: [candidate] });
    await waitFor(() => types(alice).includes('call.candidates') && types(bob).includes('call.candidates'), 'candidates both ways');
    alice.core.root.sendCallFrame(bob.core.hex, { type: 'call.hangup', callId, reason: 'hangup' });
    await waitFor(() => types(bob).includes('call.hangup'), 'the hang-up at Bob');

    expect(types(alice)).toEqual(['call.ringing', 'call.accept', 'call.candidates']);
    expect(types(bob)).toEqual(['call.invite', 'call.candidates', 'call.hangup']);
    expect(await relayCounters()).toBe(before);
    // No SDP in any log line of either core.
    for (const c of [alice, bob]) expect(c.core.logText.join('\n')).not.toContain('UDP/TLS/RTP/SAVPF');
  });

  it('VOICE-02: an invite to a contact who is not online is refused with CALL_NO_LINK; a frame the app got wrong is CALL_BAD_FRAME', async () => {
    const a = await createProfileDir('Alice');
    const b = await createProfileDir('Bob');
    await addContacts(a.dir, [b.userId]);
    const alice = await start('Alice', a.dir);
    await waitFor(() => alice.core.root.connection.state === 'connected', 'Alice connected');
    const invite = () => alice.core.root.sendCallFrame(b.hex, { type: 'call.invite', callId, fingerprint, sdp });
    expect(invite).toThrow(CallWireError);
    expect(invite).toThrow(expect.objectContaining({ code: 'CALL_NO_LINK' }));
    expect(() => alice.core.root.sendCallFrame(b.hex, { type: 'call.invite', callId: 'x', fingerprint, sdp: 'no' })).toThrow(
      expect.objectContaining({ code: 'CALL_BAD_FRAME' }),
    );
    const stranger = (await createProfileDir('Eve')).hex;
    expect(() => alice.core.root.sendCallFrame(stranger, { type: 'call.ringing', callId })).toThrow(expect.objectContaining({ code: 'CALL_NOT_CONTACT' }));
  });

  it('VOICE-02: a malformed call frame on the link is refused by the receiver (link.error BAD_FRAME), never reaches its app, and the link stays up', async () => {
    const [alice, bob] = await pair();
    alice.core.root.sendCallFrame(bob.core.hex, { type: 'call.invite', callId, fingerprint, sdp });
    await waitFor(() => types(bob).includes('call.invite'), 'the invite at Bob');
    // A peer that does not check what it sends: the link encodes without validating.
    const bad = { type: 'call.accept', callId, fingerprint: 'sha-1 00', sdp: 'not an sdp' } as unknown as ApplicationFrame;
    expect(alice.core.links.send(bob.core.hex, bad, { intent: 'auto' })).toBe(true);
    await waitFor(() => alice.core.logText.some((l) => l.includes('"code":"BAD_FRAME"') && l.includes('peer refused a frame')), 'Bob refused it');
    alice.core.root.sendCallFrame(bob.core.hex, { type: 'call.cancel', callId, reason: 'cancelled' });
    await waitFor(() => types(bob).includes('call.cancel'), 'the cancel at Bob');
    expect(types(bob)).toEqual(['call.invite', 'call.cancel']);
    expect(bob.core.root.callRefusals()).toEqual({ notRunning: 0, notContact: 0, malformed: 0 });
  });
});

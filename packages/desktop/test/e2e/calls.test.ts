import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { E2eRig } from './e2e-rig';
import { addContact, createIdentity, row, select } from './e2e-steps';
import { CHROMIUM, openAppPage } from './e2e-support';

/**
 * Voice calls in the whole app (issue #14, VOICE-01, VOICE-02): two profiles, each in its own
 * headless Chromium whose fake microphone plays its own tone (Alice 440 Hz, Bob 660 Hz), each a
 * CoreSession behind its bridge as the launcher builds them. The call's frames go app → bridge →
 * core → direct link → core → bridge → app; the server's relay counters must not move during
 * a call. The test finds the call's RTCPeerConnection through an init script (no app hook).
 */
let rig: E2eRig;
let alice: Page;
let bob: Page;
const browsers: Browser[] = [];
let wavDir: string;
const ids = { alice: '', bob: '' };

/** 16-bit mono PCM WAV of a sine at `hz`, 4 s, 48 kHz (Chromium loops the file). */
function toneWav(hz: number, seconds = 4, sampleRate = 48_000): Buffer {
  const samples = seconds * sampleRate;
  const data = Buffer.alloc(samples * 2);
  for (let i = 0; i < samples; i += 1) data.writeInt16LE(Math.round(Math.sin((2 * Math.PI * hz * i) / sampleRate) * 0.5 * 32767), i * 2);
  const header = Buffer.alloc(44);
  header.write('RIFF', 0);
  header.writeUInt32LE(36 + data.length, 4);
  header.write('WAVEfmt ', 8);
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(1, 20);
  header.writeUInt16LE(1, 22);
  header.writeUInt32LE(sampleRate, 24);
  header.writeUInt32LE(sampleRate * 2, 28);
  header.writeUInt16LE(2, 32);
  header.writeUInt16LE(16, 34);
  header.write('data', 36);
  header.writeUInt32LE(data.length, 40);
  return Buffer.concat([header, data]);
}

async function toneBrowser(hz: number): Promise<Browser> {
  const wav = join(wavDir, `${hz}.wav`);
  writeFileSync(wav, toneWav(hz));
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync',
      '--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream', '--allow-loopback-in-peer-connection', '--autoplay-policy=no-user-gesture-required',
      `--use-file-for-fake-audio-capture=${wav}`,
      // WebRTC on loopback only: no mDNS-obfuscated host candidates, no public STUN (the app passes none).
      '--disable-features=WebRtcHideLocalIpsWithMdns',
    ],
  });
  browsers.push(browser);
  return browser;
}

/** Keeps every RTCPeerConnection the page makes (the call's) for the hearing check. */
const RECORD_PEER_CONNECTIONS = `(() => {
  const Original = window.RTCPeerConnection;
  window.__pcs = [];
  window.RTCPeerConnection = class extends Original { constructor(...args) { super(...args); window.__pcs.push(this); } };
})();`;

async function openWindow(profile: string, hz: number): Promise<Page> {
  const launched = await rig.launch(profile);
  const browser = await toneBrowser(hz);
  const window = await openAppPage(browser, launched.issueAppUrl());
  await window.context.addInitScript(RECORD_PEER_CONNECTIONS);
  await window.context.addInitScript(HEARS_TONE);
  await window.page.reload();
  rig.windows.push(window);
  return window.page;
}

/**
 * Installed in the page by an init script (no DOM types here; CSP forbids eval): true once the call's remote audio,
 * through an AnalyserNode, is above silence and its dominant frequency within ±30 Hz of `target`.
 */
const HEARS_TONE = `window.__hearsTone = (target) => {
  const track = window.__pcs.at(-1)?.getReceivers().find((r) => r.track.kind === 'audio')?.track;
  if (track === undefined) return false;
  if (window.__hear?.track !== track) {
    const context = new AudioContext({ sampleRate: 48000 });
    const analyser = context.createAnalyser();
    analyser.fftSize = 8192;
    analyser.smoothingTimeConstant = 0;
    context.createMediaStreamSource(new MediaStream([track])).connect(analyser);
    window.__hear = { track, analyser, rate: context.sampleRate };
  }
  const { analyser, rate } = window.__hear;
  const time = new Float32Array(analyser.fftSize);
  analyser.getFloatTimeDomainData(time);
  const rms = Math.sqrt(time.reduce((sum, x) => sum + x * x, 0) / time.length);
  const freq = new Float32Array(analyser.frequencyBinCount);
  analyser.getFloatFrequencyData(freq);
  let best = 0;
  for (let i = 1; i < freq.length; i += 1) if (freq[i] > freq[best]) best = i;
  return rms > 0.01 && Math.abs((best * rate) / analyser.fftSize - target) < 30;
}`;

/** Waits until the page hears the remote tone at `hz` (VOICE-01). */
async function hears(page: Page, hz: number): Promise<void> {
  await page.waitForFunction((target) => (globalThis as unknown as { __hearsTone(t: number): boolean }).__hearsTone(target), hz, { timeout: 15_000, polling: 100 });
}

/** The server's counters of what it relayed between clients (signal.send in, signal.relay out). */
async function relayCounters(): Promise<string> {
  const text = await rig.server.metrics.text();
  return text
    .split('\n')
    .filter((line) => /^discordopus_messages_(in|out)_total\{type="signal\.(send|relay|error)"\}/.test(line))
    .join('\n');
}

const phase = (page: Page) => page.getByTestId('call-bar').getAttribute('data-phase');

async function callBob(): Promise<void> {
  await alice.getByTestId('call-button').click();
  await bob.getByTestId('incoming-call').waitFor();
  await alice.locator('[data-testid="call-bar"][data-phase="ringing"]').waitFor();
}

beforeAll(async () => {
  wavDir = mkdtempSync(join(tmpdir(), 'dop-call-tones-'));
  rig = await E2eRig.start();
  alice = await openWindow('alice', 440);
  bob = await openWindow('bob', 660);
  ids.alice = await createIdentity(alice, 'Alice');
  ids.bob = await createIdentity(bob, 'Bob');
  await addContact(alice, ids.bob);
  await addContact(bob, ids.alice);
  await row(alice, ids.bob, '[data-status="online"]').waitFor();
  await row(bob, ids.alice, '[data-status="online"]').waitFor();
  await select(alice, ids.bob);
  await select(bob, ids.alice);
}, 180_000);

afterAll(async () => {
  for (const b of browsers) await b.close().catch(() => undefined);
  await rig?.close();
  if (wavDir) rmSync(wavDir, { recursive: true, force: true });
});

describe('end to end: voice calls between two app windows (VOICE-01, VOICE-02)', () => {
  it('VOICE-01, VOICE-02: Alice calls, Bob\'s window rings, he accepts and hears her 440 Hz tone (she his 660 Hz); the server relays nothing until Alice hangs up', async () => {
    await callBob();
    const before = await relayCounters();
    expect(before).toContain('signal.relay'); // the direct link's own set-up went through the server
    await bob.getByTestId('accept-call').click();
    await bob.locator('[data-testid="call-bar"][data-phase="in-call"]').waitFor({ timeout: 15_000 });
    await alice.locator('[data-testid="call-bar"][data-phase="in-call"]').waitFor({ timeout: 15_000 });
    await hears(bob, 440);
    await hears(alice, 660);
    // The check tells the tones apart: Bob does not hear his own 660 Hz.
    expect(await bob.evaluate(() => (globalThis as unknown as { __hearsTone(t: number): boolean }).__hearsTone(660))).toBe(false);
    await alice.getByTestId('hangup').click();
    await bob.locator('[data-testid="call-bar"][data-phase="ended"]').waitFor();
    expect(await phase(alice)).toBe('ended');
    expect(await bob.getByTestId('call-status').textContent()).toMatch(/^The other side hung up\./);
    expect(await relayCounters()).toBe(before);
    await expect.poll(() => alice.getByTestId('call-entry').last().textContent()).toMatch(/^Call, \d+ s$|^Call, \d+ min \d+ s$/);
    await expect.poll(() => bob.getByTestId('call-entry').last().textContent()).toMatch(/^Call, /);
  });

  it('VOICE-01: Bob hangs up a connected call; Alice\'s call ends', async () => {
    await callBob();
    await bob.getByTestId('accept-call').click();
    await alice.locator('[data-testid="call-bar"][data-phase="in-call"]').waitFor({ timeout: 15_000 });
    await hears(bob, 440);
    await bob.getByTestId('hangup').click();
    await alice.locator('[data-testid="call-bar"][data-phase="ended"]').waitFor();
    await expect.poll(() => alice.getByTestId('call-status').textContent()).toMatch(/^The other side hung up\. \(\d+:\d{2}\)$/);
    await expect.poll(() => bob.getByTestId('call-status').textContent()).toMatch(/^Call ended\. /);
  });

  it('VOICE-01: Bob declines; Alice\'s call ends as declined and both windows list it', async () => {
    await callBob();
    await bob.getByTestId('decline-call').click();
    await alice.locator('[data-testid="call-bar"][data-phase="ended"]').waitFor();
    expect(await alice.getByTestId('call-status').textContent()).toBe('The call was declined.');
    await expect.poll(() => alice.getByTestId('call-entry').last().textContent()).toBe('Call declined');
    await expect.poll(() => bob.getByTestId('call-entry').last().textContent()).toBe('Call declined');
  });
});

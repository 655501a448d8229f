import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { toneWav } from '@discordopus/test-support/tone-wav';
import { E2eRig, type E2eRigOptions } from './e2e-rig';
import { addContact, createIdentity, row, select } from './e2e-steps';
import { CHROMIUM, openAppPage } from './e2e-support';

/**
 * What the two-window call files (calls*.test.ts, issue #14, VOICE-01..04) set up alike: a real
 * signaling server, Alice's and Bob's profiles as the launcher builds them, each window in its own
 * headless Chromium whose fake microphone plays its own tone (Alice 440 Hz, Bob 660 Hz), mutual
 * contacts, each with the other's conversation open. Bob's app can run in a process of its own
 * (core + bridge in calls-app-process.ts, the window in a browser whose process id is known) so
 * that a test can kill -9 it.
 */

const REPO_ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
const APP_PROCESS = fileURLToPath(new URL('./calls-app-process.ts', import.meta.url));

const TONE_FLAGS = [
  '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync',
  '--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream', '--allow-loopback-in-peer-connection', '--autoplay-policy=no-user-gesture-required',
  // WebRTC on loopback only: no mDNS-obfuscated host candidates, no public STUN (the app passes none).
  '--disable-features=WebRtcHideLocalIpsWithMdns',
];

/** Keeps every RTCPeerConnection the page makes (the call's) for the hearing check. */
const RECORD_PEER_CONNECTIONS = `(() => {
  const Original = window.RTCPeerConnection;
  window.__pcs = [];
  window.RTCPeerConnection = class extends Original { constructor(...args) { super(...args); window.__pcs.push(this); } };
})();`;

/**
 * Installed by an init script (no DOM types here; CSP forbids eval): what the window hears of
 * the call's remote audio through an AnalyserNode — RMS (0–1) and dominant frequency (Hz).
 */
const HEARING = `window.__hearing = () => {
  const track = window.__pcs.at(-1)?.getReceivers().find((r) => r.track.kind === 'audio')?.track;
  if (track === undefined) return { rms: 0, hz: 0 };
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
  return { rms, hz: (best * rate) / analyser.fftSize };
};
window.__route = async () => {
  const pc = window.__pcs.at(-1);
  if (pc === undefined) return null;
  const stats = [...(await pc.getStats()).values()];
  const transport = stats.find((s) => s.type === 'transport');
  const pair = stats.find((s) => s.type === 'candidate-pair' && s.id === transport?.selectedCandidatePairId);
  return stats.find((s) => s.id === pair?.localCandidateId)?.candidateType ?? null;
};`;

type Hearing = { rms: number; hz: number };
const hearing = (page: Page) => page.evaluate(() => (globalThis as unknown as { __hearing(): Hearing }).__hearing());

/** Waits until the page hears the remote tone at `hz` (±30 Hz) above silence (VOICE-01). */
export async function hears(page: Page, hz: number): Promise<void> {
  await page.waitForFunction(
    (target) => {
      const h = (globalThis as unknown as { __hearing(): Hearing }).__hearing();
      return h.rms > 0.01 && Math.abs(h.hz - target) < 30;
    },
    hz,
    { timeout: 30_000, polling: 100 },
  );
}

/** Whether the page hears a tone near `hz` right now. */
export async function hearsNow(page: Page, hz: number): Promise<boolean> {
  const h = await hearing(page);
  return h.rms > 0.01 && Math.abs(h.hz - hz) < 30;
}

/** Waits until the page's remote audio is silent (the other side muted). */
export async function silent(page: Page): Promise<void> {
  await page.waitForFunction(() => (globalThis as unknown as { __hearing(): Hearing }).__hearing().rms < 0.002, undefined, { timeout: 30_000, polling: 100 });
}

/** The local candidate type of the call's selected pair (host, relay, …), from the window's getStats. */
export function callRoute(page: Page): Promise<string | null> {
  return page.evaluate(() => (globalThis as unknown as { __route(): Promise<string | null> }).__route());
}

export async function inCall(page: Page): Promise<void> {
  await page.locator('[data-testid="call-bar"][data-phase="in-call"]').waitFor({ timeout: 30_000 });
}

/** Waits until the window's call has ended and its bar says `status`. */
export async function endedSaying(page: Page, status: RegExp): Promise<void> {
  await page
    .locator('[data-testid="call-bar"][data-phase="ended"]')
    .getByTestId('call-status')
    .filter({ hasText: status })
    .waitFor({ timeout: 30_000 })
    .catch(async (error: unknown) => {
      const bar = page.getByTestId('call-bar');
      const seen = (await bar.count()) === 0 ? 'no call bar' : `${await bar.first().getAttribute('data-phase')}: ${await bar.first().getByTestId('call-status').textContent()}`;
      throw new Error(`the call bar never read ${String(status)} (it reads ${seen}): ${String(error)}`);
    });
}

export interface CallWindowsOptions extends E2eRigOptions {
  /** Run Bob's app (core and bridge) in a child process and his window in a browser whose process id is known. */
  killableBob?: boolean;
  /** More init scripts for both windows (bench diagnostics), installed before the app loads. */
  initScripts?: string[];
}

export class CallWindows {
  alice!: Page;
  bob!: Page;
  readonly ids = { alice: '', bob: '' };
  readonly #browsers: Browser[] = [];
  /** Alice's and Bob's browsers (bench/calls.ts opens its baseline pages in them). */
  readonly toneBrowsers: { alice: Browser | null; bob: Browser | null } = { alice: null, bob: null };
  #bobApp: ChildProcess | null = null;
  #bobBrowserPid: number | null = null;
  readonly #wavDir = mkdtempSync(join(tmpdir(), 'dop-call-tones-'));

  private constructor(
    readonly rig: E2eRig,
    private readonly initScripts: string[],
  ) {}

  static async start(options: CallWindowsOptions = {}): Promise<CallWindows> {
    const w = new CallWindows(await E2eRig.start(options), options.initScripts ?? []);
    w.alice = await w.#window('alice', (await w.rig.launch('alice')).issueAppUrl(), 440, false);
    w.bob = options.killableBob === true ? await w.#window('bob', await w.#bobInChild(), 660, true) : await w.#window('bob', (await w.rig.launch('bob')).issueAppUrl(), 660, false);
    w.ids.alice = await createIdentity(w.alice, 'Alice');
    w.ids.bob = await createIdentity(w.bob, 'Bob');
    await addContact(w.alice, w.ids.bob);
    await addContact(w.bob, w.ids.alice);
    await row(w.alice, w.ids.bob, '[data-status="online"]').waitFor({ timeout: 30_000 });
    await row(w.bob, w.ids.alice, '[data-status="online"]').waitFor({ timeout: 30_000 });
    await select(w.alice, w.ids.bob);
    await select(w.bob, w.ids.alice);
    return w;
  }

  /** Bob's core and bridge in a process of their own; answers his window's address. */
  async #bobInChild(): Promise<string> {
    const child = spawn(process.execPath, ['--import', 'tsx', APP_PROCESS, this.rig.home, 'bob', this.rig.server.url, this.rig.appDir], { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    this.#bobApp = child;
    const stderr: string[] = [];
    child.stderr?.on('data', (chunk: Buffer) => stderr.push(chunk.toString()));
    return new Promise<string>((resolve, reject) => {
      createInterface({ input: child.stdout! }).once('line', (line) => resolve((JSON.parse(line) as { url: string }).url));
      child.once('exit', (code, signal) => reject(new Error(`Bob's app process exited (${code ?? signal}):\n${stderr.join('')}`)));
    });
  }

  async #window(who: 'alice' | 'bob', url: string, hz: number, killable: boolean): Promise<Page> {
    const wav = join(this.#wavDir, `${hz}.wav`);
    writeFileSync(wav, toneWav(hz));
    const args = [...TONE_FLAGS, `--use-file-for-fake-audio-capture=${wav}`];
    let browser: Browser;
    if (killable) {
      const server = await chromium.launchServer({ executablePath: CHROMIUM, headless: true, args });
      this.#bobBrowserPid = server.process().pid ?? null;
      browser = await chromium.connect(server.wsEndpoint());
    } else {
      browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args });
    }
    this.#browsers.push(browser);
    this.toneBrowsers[who] = browser;
    const window = await openAppPage(browser, url);
    await window.context.addInitScript(RECORD_PEER_CONNECTIONS);
    await window.context.addInitScript(HEARING);
    for (const script of this.initScripts) await window.context.addInitScript(script);
    await window.page.reload();
    this.rig.windows.push(window);
    return window.page;
  }

  /** kill -9 of Bob's whole app: his core and bridge process and his window's browser (VOICE-04). */
  async killBob(): Promise<void> {
    const app = this.#bobApp;
    if (app === null || this.#bobBrowserPid === null) throw new Error('start with killableBob: true');
    const exited = new Promise((resolve) => app.once('exit', resolve));
    app.kill('SIGKILL');
    process.kill(this.#bobBrowserPid, 'SIGKILL');
    await exited;
  }

  /** The server's counters of what it relayed between clients (signal.send in, signal.relay out). */
  async relayCounters(): Promise<string> {
    const text = await this.rig.server.metrics.text();
    return text
      .split('\n')
      .filter((line) => /^discordopus_messages_(in|out)_total\{type="signal\.(send|relay|error)"\}/.test(line))
      .join('\n');
  }

  /** Alice presses the call button; Bob's window rings, hers says ringing. */
  async aliceCallsBob(): Promise<void> {
    await this.alice.getByTestId('call-button').click();
    await this.bob.getByTestId('incoming-call').waitFor({ timeout: 30_000 });
    await this.alice.locator('[data-testid="call-bar"][data-phase="ringing"]').waitFor({ timeout: 30_000 });
  }

  /** Ends whatever call a window still has (clean-up after a failed case). */
  async hangUpAll(): Promise<void> {
    for (const page of [this.alice, this.bob]) {
      if (page.isClosed()) continue;
      const hangup = page.locator('[data-testid="call-bar"]:not([data-phase="ended"]) [data-testid="hangup"]');
      if ((await hangup.count()) > 0) await hangup.first().click().catch(() => undefined);
      const decline = page.getByTestId('decline-call');
      if ((await decline.count()) > 0) await decline.first().click().catch(() => undefined);
    }
  }

  async close(): Promise<void> {
    if (this.#bobApp !== null && this.#bobApp.exitCode === null && this.#bobApp.signalCode === null) this.#bobApp.kill('SIGKILL');
    for (const b of this.#browsers) await b.close().catch(() => undefined);
    if (this.#bobBrowserPid !== null) {
      try {
        process.kill(this.#bobBrowserPid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
    await this.rig.close();
    rmSync(this.#wavDir, { recursive: true, force: true });
  }
}

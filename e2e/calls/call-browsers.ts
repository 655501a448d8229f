import { createHash, createHmac } from 'node:crypto';
import { readFileSync, writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { compile } from '@tailwindcss/node';
import { Scanner } from '@tailwindcss/oxide';
import { build } from 'esbuild';
import { chromium, type Browser, type Page } from 'playwright-core';
import { toneWav } from '@discordopus/test-support/tone-wav';

/**
 * Node side of the Chromium call tests (VOICE-01..04) and of bench/calls.ts: two headless
 * Chromium processes, each capturing its own WAV tone as the microphone (the fake-capture file
 * is per process), serving the bundled call harness page from 127.0.0.1, and a "link" that
 * carries call frames between pages through the test (a stand-in for the contacts' link).
 */

/** What the test reads back from a page (mirrors the harness's HarnessSnapshot; no DOM types here). */
export interface Snapshot {
  phase: string;
  reason: string | null;
  phases: string[];
  connectionStates: string[];
  quality: { rttMs: number | null; jitterMs: number | null; loss: number | null; inboundBitrate: number | null; codec: string | null; route: 'direct' | 'relayed' | null } | null;
  levels: { local: number; remote: number; localSpeaking: boolean; remoteSpeaking: boolean } | null;
  refusals: Record<string, number>;
  mediaFlowingAt: number | null;
  localSdp: string | null;
  remoteSdp: string | null;
}

/** The page's globals as the evaluated functions see them. */
export interface PageWindow {
  sendCallFrame: (json: string) => Promise<void>;
  callHarness: {
    init(o: HarnessInit): void;
    deliver(json: string): void;
    setIceServers(servers: HarnessInit['iceServers']): void;
    call(): Promise<string>;
    accept(): Promise<void>;
    inboundPackets(): Promise<number>;
    snapshot(): Snapshot;
    hearing(): { rms: number; dominantHz: number };
    acceptAndTimeFirstPacket(): Promise<number>;
    mouthToEar(): Promise<{ jitterBufferMs: number; halfRttMs: number; playoutMs: number } | null>;
    engine: { decline(): void; hangup(): void; setOutputDevice(id: string | null): Promise<boolean>; setMuted(m: boolean): void; setDeafened(d: boolean): void } | null;
  };
  /** The call UI components around the engine (call-ui-page.tsx). */
  callUi: { mount(peerName: string): void; ringing(): string | null };
  /** The bench's baseline: a bare connection signalled over a plain local WebSocket. */
  bareCall: { open(url: string): Promise<void>; call(): Promise<void>; readonly ringing: boolean; acceptAndTimeFirstPacket(): Promise<number>; close(): void };
}
declare const window: PageWindow;

const HARNESS_ENTRY = fileURLToPath(new URL('../../packages/app/src/features/calls/harness/index.ts', import.meta.url));
const APP_SRC = fileURLToPath(new URL('../../packages/app/src/', import.meta.url));

/**
 * The app's own stylesheet (Tailwind, as the app build makes it from styles.css and the classes
 * the sources use), so the call UI is laid out as a person sees it: without it the controls flow
 * inline and move whenever a label beside them changes (a "speaking" text, the timer), and a
 * click can land on the wrong control.
 */
async function appStylesheet(): Promise<string> {
  const compiler = await compile(readFileSync(join(APP_SRC, 'styles.css'), 'utf8'), { base: APP_SRC, onDependency: () => {} });
  return compiler.build(new Scanner({ sources: [{ base: APP_SRC, pattern: '**/*', negated: false }] }).scan());
}
const CHROMIUM = '/usr/bin/chromium';

export interface CallRig {
  /** The caller's browser (440 Hz microphone) and the callee's (660 Hz). */
  browsers: { a: Browser; b: Browser };
  url: string;
  close(): Promise<void>;
}

/** Bundles the harness, serves it on 127.0.0.1:0 and launches the two browsers (or uses the two given). */
export async function startCallRig(tones: { a: number; b: number } = { a: 440, b: 660 }, browsers: { a: Browser; b: Browser } | null = null): Promise<CallRig> {
  const dir = mkdtempSync(join(tmpdir(), 'dop-calls-'));
  const bundle = await build({
    entryPoints: [HARNESS_ENTRY],
    bundle: true,
    format: 'esm',
    write: false,
    target: 'chrome120',
    jsx: 'automatic',
    define: { 'process.env.NODE_ENV': '"production"' },
    logLevel: 'error',
  });
  const script = bundle.outputFiles[0]?.text ?? '';
  const css = await appStylesheet();
  const html = '<!doctype html><html><head><meta charset="utf-8"><title>call harness</title><link rel="stylesheet" href="/harness.css"></head><body><script type="module" src="/harness.js"></script></body></html>';
  const server: Server = createServer((req, res) => {
    if (req.url === '/harness.js') res.writeHead(200, { 'content-type': 'text/javascript' }).end(script);
    else if (req.url === '/harness.css') res.writeHead(200, { 'content-type': 'text/css' }).end(css);
    else res.writeHead(200, { 'content-type': 'text/html' }).end(html);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  const launch = (hz: number, name: string) => {
    const wav = join(dir, `${name}-${hz}.wav`);
    writeFileSync(wav, toneWav(hz));
    return chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: [
        '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
        '--disable-component-update', '--disable-sync', '--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream',
        '--allow-loopback-in-peer-connection', '--autoplay-policy=no-user-gesture-required', `--use-file-for-fake-audio-capture=${wav}`,
        // Keep WebRTC on loopback: no mDNS-obfuscated host candidates.
        '--disable-features=WebRtcHideLocalIpsWithMdns',
      ],
    });
  };
  // Given browsers (bench/calls.ts: the app windows' own) are the caller's to close.
  const [a, b] = browsers === null ? await Promise.all([launch(tones.a, 'a'), launch(tones.b, 'b')]) : [browsers.a, browsers.b];
  return {
    browsers: { a, b },
    url,
    close: async () => {
      if (browsers === null) await Promise.allSettled([a.close(), b.close()]);
      await new Promise((resolve) => server.close(resolve));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface HarnessInit {
  iceServers: { urls: string; username?: string; credential?: string }[];
  relayOnly: boolean;
  ringTimeoutMs?: number;
  reconnectGraceMs?: number;
}

/** A page with the harness loaded and initialised; `problems` collects page errors. */
export interface CallPage {
  name: string;
  page: Page;
  problems: string[];
}

/**
 * The link stand-in: frames a page sends are delivered, in order, to the page it is paired
 * with. `tamper` may rewrite a frame on the way and `hold` delay one (failure injection); `sent` keeps every frame's
 * type by sender.
 */
export class FrameLink {
  private readonly peers = new Map<string, CallPage>();
  private readonly queues = new Map<string, Promise<void>>();
  tamper: ((from: string, frame: Record<string, unknown>) => Record<string, unknown>) | null = null;
  readonly sent: { from: string; type: string; at: number; deliveredAt: number | null }[] = [];

  async open(rig: CallRig, browser: Browser, name: string, init: HarnessInit): Promise<CallPage> {
    const context = await browser.newContext();
    context.setDefaultTimeout(20_000);
    const page = await context.newPage();
    const problems: string[] = [];
    page.on('pageerror', (e) => problems.push(e.message));
    await page.exposeFunction('sendCallFrame', (json: string) => this.carry(name, json));
    await page.goto(rig.url);
    await page.waitForFunction(() => window.callHarness !== undefined);
    await page.evaluate((o) => window.callHarness.init(o), init);
    const callPage = { name, page, problems };
    this.peers.set(name, callPage);
    return callPage;
  }

  /** Pairs two pages: what one sends, the other receives. */
  pair(x: string, y: string): void {
    this.routes.set(x, y);
    this.routes.set(y, x);
  }

  private readonly routes = new Map<string, string>();
  private readonly callers = new Map<string, string>();

  private carry(from: string, json: string): void {
    let frame = JSON.parse(json) as Record<string, unknown>;
    const record = { from, type: String(frame.type), at: Date.now(), deliveredAt: null as number | null };
    this.sent.push(record);
    if (this.tamper !== null) frame = this.tamper(from, frame);
    if (this.hold.has(record.type)) {
      this.held.push(() => this.forward(from, frame, record));
      return;
    }
    this.forward(from, frame, record);
  }

  /** Failure injection (a slow link): frames of these types wait until `release()`. */
  readonly hold = new Set<string>();
  private held: (() => void)[] = [];

  /** Sends on the frames held so far, in order. */
  release(): void {
    this.hold.clear();
    for (const send of this.held.splice(0)) send();
  }

  private forward(from: string, frame: Record<string, unknown>, record: { deliveredAt: number | null }): void {
    // A callee answers whoever invited it with that call ID (so a third page can get "busy").
    const callId = String(frame.callId);
    if (frame.type === 'call.invite') this.callers.set(callId, from);
    const caller = this.callers.get(callId);
    const target = caller !== undefined && caller !== from ? caller : this.routes.get(from);
    const to = this.peers.get(target ?? '');
    if (to === undefined || to.page.isClosed()) return;
    const text = JSON.stringify(frame);
    const previous = this.queues.get(to.name) ?? Promise.resolve();
    const next = previous
      .then(() => to.page.evaluate((t) => window.callHarness.deliver(t), text))
      .then(() => {
        record.deliveredAt = Date.now();
      })
      .catch(() => {});
    this.queues.set(to.name, next);
  }

  /** Delivers raw text to a page, as a peer would (malformed-frame tests). */
  deliverRaw(to: CallPage, text: string): Promise<void> {
    return to.page.evaluate((t) => window.callHarness.deliver(t), text);
  }

  async closeAll(): Promise<void> {
    await Promise.allSettled([...this.peers.values()].map((p) => p.page.context().close()));
    this.peers.clear();
    this.routes.clear();
    this.queues.clear();
  }
}

/** TURN REST API credentials for coturn's `use-auth-secret` (what the signaling server issues). */
export function turnCredentials(secret: string, ttlSeconds = 600): { username: string; credential: string } {
  const username = `${Math.floor(Date.now() / 1000) + ttlSeconds}:calls-test`;
  return { username, credential: createHmac('sha1', secret).update(username).digest('base64') };
}

/** A random shared secret for a throw-away coturn. */
export function randomSecret(): string {
  return createHash('sha256').update(String(Math.random()) + String(Date.now())).digest('hex').slice(0, 32);
}

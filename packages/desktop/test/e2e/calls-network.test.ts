import { startCoturn } from '@discordopus/test-support/coturn';
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CallWindows, callRoute, endedSaying, hears, inCall } from './calls-rig';

/**
 * Calls across networks and crashes through the whole app (issue #14, VOICE-04, VOICE-03,
 * P2P-03): a signaling server that issues TURN credentials for a real coturn on loopback
 * (relayed addresses on 127.0.0.2), Alice's app in the test process, Bob's whole app — core,
 * bridge and window — in processes of their own, so that it can be killed with SIGKILL mid-call.
 */
const TURN_SECRET = 'calls-e2e-turn-secret';
let coturn: Awaited<ReturnType<typeof startCoturn>>;
let w: CallWindows;

async function setRelayOnly(page: Page, on: boolean): Promise<void> {
  await page.getByTestId('open-settings').click();
  await page.getByTestId('settings-dialog').waitFor();
  const toggle = page.getByTestId('relay-only-switch');
  if ((await toggle.getAttribute('aria-checked')) !== String(on)) await toggle.click();
  await page.locator(`[data-testid="relay-only-switch"][aria-checked="${on}"]`).waitFor();
  await page.keyboard.press('Escape');
  await page.getByTestId('settings-dialog').waitFor({ state: 'detached' });
}

beforeAll(async () => {
  coturn = await startCoturn(TURN_SECRET);
  w = await CallWindows.start({ server: { turnUrls: [`turn:127.0.0.1:${coturn.port}?transport=udp`], turnSecret: TURN_SECRET }, killableBob: true });
}, 180_000);

afterEach(async () => {
  await w?.hangUpAll();
});

afterAll(async () => {
  await w?.close();
  await coturn?.stop();
});

describe('end to end: calls through a relay and a crash (VOICE-03, VOICE-04, P2P-03)', { timeout: 90_000 }, () => {
  it('VOICE-03, P2P-03, VOICE-02: with relay-only on both sides the call goes through the real coturn (relay candidates only), carries the tone and both quality panels say "Relayed"; the signaling server relays nothing from accept to hang-up', async () => {
    const { alice, bob } = w;
    await setRelayOnly(alice, true);
    await setRelayOnly(bob, true);
    // The link itself is rebuilt through the relay first (the header says so).
    await alice.locator('[data-testid="header-link"][data-state="open"][data-path="relayed"]').waitFor({ timeout: 30_000 });
    await w.aliceCallsBob();
    await bob.getByTestId('accept-call').click();
    const before = await w.relayCounters();
    await inCall(alice);
    await inCall(bob);
    await hears(bob, 440);
    await hears(alice, 660);
    expect(await callRoute(alice)).toBe('relay');
    expect(await callRoute(bob)).toBe('relay');
    // What the person sees: the call bar's quality panel says "Relayed" (VOICE-03).
    for (const page of [alice, bob]) {
      await page.getByTestId('call-bar').getByTestId('quality-toggle').click();
      await page.getByTestId('quality-route').filter({ hasText: /^Relayed$/ }).waitFor({ timeout: 30_000 });
    }
    await alice.getByTestId('hangup').click();
    await endedSaying(bob, /^The other side hung up\./);
    expect(await w.relayCounters()).toBe(before);
  });

  it('VOICE-04: kill -9 of Bob\'s whole app (core process and window) mid-call → Alice\'s call ends by itself and says why (connection to Bob lost, or the direct link to him broke)', async () => {
    const { alice, bob } = w;
    await w.aliceCallsBob();
    await bob.getByTestId('accept-call').click();
    await inCall(alice);
    await hears(alice, 660);
    await w.killBob();
    // Which of the two a crash reads as depends on what Alice's app notices first: the call's
    // connection going quiet (after its grace) or the direct link to Bob's dead core.
    await endedSaying(alice, /^(The connection to Bob was lost: their app quit or crashed, or their network dropped\.|The direct link to Bob broke, so the call ended\.) \(\d+:\d{2}\)$/);
    await expect.poll(() => alice.getByTestId('call-entry').last().textContent()).toMatch(/^Call · /);
  });
});

import type { ClientCoreOptions } from '@discordopus/core';
import { LIMITS } from '@discordopus/protocol';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { E2eRig } from './e2e-rig';
import { addContact, createIdentity, row, select } from './e2e-steps';
import { LOOPBACK_LINKS, screenshotBothThemes } from './e2e-support';

/**
 * P2P-02 in the whole app: bob's core talks to the real signaling server through a socket that
 * plays a hostile relay (failure injection on the receive path, as in the core's own tests):
 * while `tampering` is on, every relayed link set-up message reaches bob altered. Bob's core
 * refuses them; his window must say so on alice, clearly and until he dismisses it.
 */
type CreateSocket = NonNullable<ClientCoreOptions['createSocket']>;

let tampering = false;

/** The real `ws` socket, with `signal.relay` payloads altered while `tampering` is on. */
const tamperingSocket: CreateSocket = (url) => {
  const socket = new WebSocket(url, { maxPayload: LIMITS.maxFrameBytes, perMessageDeflate: false });
  const wrapped = {
    get readyState() {
      return socket.readyState;
    },
    send: (data: string) => socket.send(data),
    close: (code?: number, reason?: string) => socket.close(code, reason),
    addEventListener: (type: string, listener: (event: { data: unknown }) => void) => {
      if (type !== 'message') return socket.addEventListener(type as 'open', listener as () => void);
      socket.addEventListener('message', (event) => {
        const text = typeof event.data === 'string' ? event.data : Buffer.from(event.data as Buffer).toString('utf8');
        const frame = JSON.parse(text) as { type?: unknown; payload?: unknown };
        if (!tampering || frame.type !== 'signal.relay' || typeof frame.payload !== 'string') return listener({ data: text });
        listener({ data: JSON.stringify({ ...frame, payload: `${frame.payload.slice(0, -4)}AAAA` }) });
      });
    },
  };
  return wrapped as unknown as ReturnType<CreateSocket>;
};

let rig: E2eRig;
let alice: Page;
let bob: Page;
const ids = { alice: '', bob: '' };

beforeAll(async () => {
  rig = await E2eRig.start();
  alice = await rig.open('alice');
  bob = await rig.open('bob', { ...LOOPBACK_LINKS, createSocket: tamperingSocket });
}, 120_000);

afterAll(async () => {
  await rig?.close();
});

describe('end to end: a tampered link set-up shows a security warning (P2P-02)', () => {
  it('P2P-02: alice opens a link through a relay that alters it; bob\'s window warns about alice until he dismisses it', async () => {
    ids.alice = await createIdentity(alice, 'Alice');
    ids.bob = await createIdentity(bob, 'Bob');
    // From now on every set-up message relayed to bob arrives altered (presence is untouched).
    tampering = true;
    await addContact(alice, ids.bob);
    await addContact(bob, ids.alice);
    await row(alice, ids.bob, '[data-status="online"]').waitFor();
    await row(bob, ids.alice, '[data-status="online"]').waitFor();
    await alice.getByTestId('go-home').click();
    await select(alice, ids.bob);
    await row(bob, ids.alice).getByTestId('security-warning-badge').waitFor({ timeout: 20_000 });
    // No link was opened with what the relay delivered.
    expect(await alice.locator('[data-testid="header-link"][data-state="open"]').count()).toBe(0);

    await select(bob, ids.alice);
    const warning = bob.getByTestId('security-warning');
    await warning.waitFor();
    expect(await warning.getAttribute('role')).toBe('alert');
    expect(await warning.getAttribute('data-code')).toBe('LINK_AUTH_FAILED');
    // Alice's name is not known to bob yet (no card arrived): the warning names her as bob sees her.
    const shown = ((await row(bob, ids.alice).getByTestId('contact-name').textContent()) ?? '').trim();
    expect(await bob.getByTestId('security-warning-text').textContent()).toBe(`Someone may be interfering with the connection to ${shown}. The link was refused.`);
    await screenshotBothThemes(bob, 'security-warning');

    // Persistent: still there after a reload of the window (the core keeps it for the run).
    await bob.reload();
    await row(bob, ids.alice).getByTestId('security-warning-badge').waitFor();
    await select(bob, ids.alice);
    await bob.getByTestId('security-warning').waitFor();
    await bob.getByTestId('security-warning-dismiss').click();
    await bob.getByTestId('security-warning').waitFor({ state: 'detached' });
    expect(await row(bob, ids.alice).getByTestId('security-warning-badge').count()).toBe(0);
  });

  it('no window logged a console error or threw', () => {
    expect(rig.problems()).toEqual([]);
  });
});

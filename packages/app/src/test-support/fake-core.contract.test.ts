import { ed25519 } from '@noble/curves/ed25519.js';
import { type BridgeContractHarness, describeBridgeCoreContract } from '@discordopus/test-support/bridge-contract';
import { FakeCore, fakeUserId } from './fake-core';
import { FakeMessageNetwork } from './fake-messages';

/**
 * The app's stand-in core runs the same bridge contract as the real CoreSession
 * (packages/desktop/test/core-session-contract.test.ts), so the app's tests cannot drift from
 * the core (CONVENTIONS 15).
 */
function fakeCoreHarness(): BridgeContractHarness {
  // The harness's cores reach each other, as real ones do through one signaling server (MSG-01).
  const network = new FakeMessageNetwork();
  let senders = 0;
  return {
    // Each new profile makes its own key, as the real core does.
    fresh: async () => new FakeCore({ ownKey: ed25519.getPublicKey(ed25519.utils.randomSecretKey()), network }),
    restart: async (core) => (core as FakeCore).restarted(),
    cleanup: async () => {},
    // No network between fakes: the request is placed as the real core stores a relayed one.
    requestFrom: async (core, _userId, displayName, note) => {
      const seed = 100 + ++senders;
      (core as FakeCore).receiveRequest(seed, displayName, note);
      return fakeUserId(seed);
    },
    interruptNextTransfer: (sender) => (sender as FakeCore).files.dropLinkDuringNextTransfer(),
  };
}

describeBridgeCoreContract('the app FakeCore', fakeCoreHarness);

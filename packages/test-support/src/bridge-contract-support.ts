import { DiscordOpusError, decodeUserId } from '@discordopus/protocol';
import type { BridgeMethod, BridgeParamsInput, BridgeResult } from '@discordopus/protocol/bridge';
import { dispatchBridgeCall } from '@discordopus/protocol/bridge';
import type { BridgeCoreUnderTest } from './bridge-contract';

/** Call through the contract, as the bridge server does: params and results are validated. */
export async function call<M extends BridgeMethod>(core: BridgeCoreUnderTest, method: M, params: BridgeParamsInput<M>): Promise<BridgeResult<M>> {
  const frame = await dispatchBridgeCall(core.handlers, { kind: 'call', id: 1, method, params });
  if (!frame.ok) throw new DiscordOpusError(frame.error.code, frame.error.message);
  return frame.value as BridgeResult<M>;
}

/** The error code a call was refused with, 'no error' when it succeeded. */
export async function codeOf(promise: Promise<unknown>): Promise<string> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  if (error === null) return 'no error';
  return error instanceof DiscordOpusError ? error.code : `not a DiscordOpusError: ${String(error)}`;
}

/** A user ID's key as the vault's hex. */
export function hexOf(userId: string): string {
  return Array.from(decodeUserId(userId), (b) => b.toString(16).padStart(2, '0')).join('');
}

/** Alice and Bob, two new profiles made by `created`, added as each other's contacts. */
export async function mutualPair<P extends { core: BridgeCoreUnderTest }>(created: (displayName: string) => Promise<P>): Promise<{ alice: P; bob: P; aliceKey: string; bobKey: string }> {
  const alice = await created('Alice');
  const bob = await created('Bob');
  const aliceId = (await call(alice.core, 'identity.get', {})).userId;
  const bobId = (await call(bob.core, 'identity.get', {})).userId;
  await call(alice.core, 'contacts.add', { userId: bobId });
  await call(bob.core, 'contacts.add', { userId: aliceId });
  return { alice, bob, aliceKey: hexOf(aliceId), bobKey: hexOf(bobId) };
}

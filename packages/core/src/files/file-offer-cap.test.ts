import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { waitFor } from '@discordopus/test-support';
import { describe, expect, it } from 'vitest';
import { connectSides, type FileSide, twoSides } from './file-peers.test-helper';

function sourceFile(side: FileSide, name: string): string {
  const path = join(side.root, 'outgoing', name);
  writeFileSync(path, name);
  return path;
}

describe('unanswered offers per contact (FILE-01)', () => {
  it('FILE-01: past the cap of unanswered offers from one contact, more are refused (TOO_MANY_OFFERS on the sender) and counted, not stored', async () => {
    const { alice, bob } = twoSides({ bob: { maxPendingOffers: 2 } });
    await connectSides(alice, bob);
    const first = await alice.service.offerFile({ peer: bob.hex, path: sourceFile(alice, 'a.txt') });
    const second = await alice.service.offerFile({ peer: bob.hex, path: sourceFile(alice, 'b.txt') });
    await waitFor(() => bob.stateOf(first.id) === 'offered' && bob.stateOf(second.id) === 'offered', 'two offers stored');
    const third = await alice.service.offerFile({ peer: bob.hex, path: sourceFile(alice, 'c.txt') });
    await waitFor(() => alice.stateOf(third.id) === 'failed', 'alice learns the third was refused');
    expect(alice.service.get(third.id)!.failure).toMatchObject({ code: 'TOO_MANY_OFFERS' });
    expect(bob.service.get(third.id)).toBeNull();
    expect(bob.service.refusedOffers).toBe(1);

    // Answering one makes room again.
    bob.service.decline(first.id);
    const fourth = await alice.service.offerFile({ peer: bob.hex, path: sourceFile(alice, 'd.txt') });
    await waitFor(() => bob.stateOf(fourth.id) === 'offered', 'the fourth is stored');
    expect(bob.service.refusedOffers).toBe(1);
  });
});

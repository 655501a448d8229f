import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { waitFor } from '@discordopus/test-support';
import { describe, expect, it } from 'vitest';
import { connectSides, twoSides, writesFailingAfter } from './file-peers.test-helper';

describe('what a failure tells the contact (FILE-01)', () => {
  it('FILE-01: a downloads folder that fails to be written (EACCES) ends NOT_WRITABLE on both sides, without the receiver’s path in the sender’s message', async () => {
    const { alice, bob } = twoSides({ bob: { tunables: writesFailingAfter(256 * 1024, { code: 'EACCES', message: 'EACCES: permission denied' }) } });
    await connectSides(alice, bob);
    const path = join(alice.root, 'outgoing', 'photo.bin');
    writeFileSync(path, randomBytes(1024 * 1024));
    const offer = await alice.service.offerFile({ peer: bob.hex, path });
    await waitFor(() => bob.stateOf(offer.id) === 'offered', 'the offer');
    bob.service.accept(offer.id);
    await waitFor(() => alice.stateOf(offer.id) === 'failed' && bob.stateOf(offer.id) === 'failed', 'failed on both sides');
    const told = alice.service.get(offer.id)!.failure!;
    expect(told.code).toBe('NOT_WRITABLE');
    expect(told.message).not.toContain(bob.downloads);
    expect(told.message).not.toContain(bob.root);
    expect(told.message).not.toMatch(/\//);
  });
});

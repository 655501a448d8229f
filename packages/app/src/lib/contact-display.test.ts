import { describe, expect, it } from 'vitest';
import { fakeContact } from '../test-support/fake-core';
import { avatarColor, contactName, statusDotClass, statusShape } from './contact-display';

describe('contact display helpers (CONT-02, CONT-04, PRES-03)', () => {
  it('gives every key a palette color, and not all the same one', () => {
    const colors = Array.from({ length: 40 }, (_, i) => avatarColor(fakeContact(i + 1).publicKey));
    for (const color of colors) expect(color).toMatch(/^#[0-9a-f]{6}$/);
    expect(new Set(colors).size).toBeGreaterThan(3);
  });

  it('CONT-04: shows the nickname, else a short ID that is never mistaken for a full one', () => {
    expect(contactName(fakeContact(2, { nickname: 'Bob' }))).toBe('Bob');
    expect(contactName(fakeContact(2))).toMatch(/^dopus1.{4}….{4}$/);
  });

  it('P2P-05: the display name from the contact\'s card comes before the short ID; a nickname overrides it', () => {
    expect(contactName(fakeContact(2, { displayName: 'Robert' }))).toBe('Robert');
    expect(contactName(fakeContact(2, { displayName: 'Robert', nickname: 'Bob' }))).toBe('Bob');
  });

  it('PRES-03: invisible and offline share the grey dot', () => {
    expect(statusDotClass('invisible')).toBe(statusDotClass('offline'));
    expect(statusDotClass('online')).not.toBe(statusDotClass('away'));
  });

  it('issue 15 item 11: online, away, busy and offline have different shapes, not only colours', () => {
    const shapes = (['online', 'away', 'busy', 'offline'] as const).map(statusShape);
    expect(new Set(shapes).size).toBe(4);
    expect(statusShape('invisible')).toBe(statusShape('offline'));
  });
});

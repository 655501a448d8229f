import { describe, expect, it } from 'vitest';
import { ManualClock } from '../messages/message-harness.test-helper';
import { OwnVisibility } from './own-visibility';

const WINDOW_MS = 60_000;

function setup() {
  const clock = new ManualClock();
  const visibility = new OwnVisibility({ clock, userIntentWindowMs: () => WINDOW_MS });
  return { clock, visibility };
}

describe('OwnVisibility: only what the user asked while invisible may reveal them (PRES-03)', () => {
  it('PRES-03: a link the user asked for while visible does not let an offer be answered after going invisible', () => {
    const { visibility } = setup();
    visibility.statusChanged('online');
    expect(visibility.mayOpen('mallory', 'user')).toBe(true);
    expect(visibility.mayAnswer('mallory')).toBe(true);
    expect(visibility.statusChanged('invisible')).toBe(true);
    expect(visibility.mayAnswer('mallory')).toBe(false);
  });

  it('PRES-03: an ask made while invisible is cleared when the user goes visible and invisible again', () => {
    const { visibility } = setup();
    visibility.statusChanged('invisible');
    visibility.mayOpen('bob', 'user');
    expect(visibility.mayAnswer('bob')).toBe(true);
    visibility.statusChanged('online');
    visibility.statusChanged('invisible');
    expect(visibility.mayAnswer('bob')).toBe(false);
  });

  it('PRES-03: while invisible, an ask opens the window for that contact only, for userIntentWindowMs; auto opens are refused', () => {
    const { clock, visibility } = setup();
    visibility.statusChanged('invisible');
    expect(visibility.mayOpen('bob', 'auto')).toBe(false);
    expect(visibility.mayOpen('bob', 'user')).toBe(true);
    expect(visibility.mayAnswer('carol')).toBe(false);
    clock.advance(WINDOW_MS);
    expect(visibility.mayAnswer('bob')).toBe(true);
    clock.advance(1);
    expect(visibility.mayAnswer('bob')).toBe(false);
  });
});

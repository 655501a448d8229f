import { describe, expect, it } from 'vitest';
import { ManualClock } from './message-harness.test-helper';
import { TypingTracker } from './typing-tracker';

function tracker() {
  const clock = new ManualClock();
  const changes: [string, boolean][] = [];
  const t = new TypingTracker({ clock, ttlMs: 6_000, intervalMs: 3_000, onChange: (peer, typing) => changes.push([peer, typing]) });
  return { clock, changes, t };
}

describe('TypingTracker (MSG-01), fake clock', () => {
  it('MSG-01: outgoing "typing" at most once per interval, "stopped" once, nothing after a send', () => {
    const { clock, t } = tracker();
    const sent: (boolean | null)[] = [];
    for (let i = 0; i < 8; i++) {
      sent.push(t.outgoing('bob', true));
      clock.advance(1_000);
    }
    expect(sent).toEqual([true, null, null, true, null, null, true, null]);
    expect(t.outgoing('bob', false)).toBe(false);
    expect(t.outgoing('bob', false)).toBeNull();
    expect(t.outgoing('bob', true)).toBe(true);
    t.sent('bob');
    expect(t.outgoing('bob', false)).toBeNull();
  });

  it('MSG-01: incoming "typing" expires by itself unless renewed, and clears on demand', () => {
    const { clock, changes, t } = tracker();
    t.incoming('bob', true);
    clock.advance(5_000);
    t.incoming('bob', true); // renewed: one "started", no "stopped" yet
    clock.advance(5_000);
    expect(changes).toEqual([['bob', true]]);
    clock.advance(1_000);
    expect(changes).toEqual([['bob', true], ['bob', false]]);
    t.incoming('bob', true);
    t.clear('bob');
    expect(changes.at(-1)).toEqual(['bob', false]);
    expect(clock.pendingTimers).toBe(0);
    t.incoming('carol', true);
    t.close();
    expect(clock.pendingTimers).toBe(0);
  });
});

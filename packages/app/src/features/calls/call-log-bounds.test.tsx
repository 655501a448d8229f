import { MAX_DATE_MS, callLogEntrySchema, storedCallLogEntrySchema } from '@discordopus/protocol/calls';
import { render, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { CallLogRow } from './call-log-view';

/**
 * Call log times out of range (review finding 7, VOICE-04): the shared entry schema stops at
 * JavaScript's Date range, and a row renders without a RangeError whatever time it holds.
 */
const entry = { callId: 'AAAAAAAAAAAAAAAAAAAAAA', direction: 'incoming' as const, outcome: 'completed' as const, durationMs: 1_000, startedAt: MAX_DATE_MS, endedAt: MAX_DATE_MS };

describe('call log times out of range (VOICE-04, review finding 7)', () => {
  it('VOICE-04: the entry schema refuses a time past 8.64e15 ms (the end of JavaScript dates)', () => {
    expect(callLogEntrySchema.safeParse(entry).success).toBe(true);
    expect(callLogEntrySchema.safeParse({ ...entry, startedAt: MAX_DATE_MS + 1, endedAt: MAX_DATE_MS + 1 }).success).toBe(false);
    expect(callLogEntrySchema.safeParse({ ...entry, endedAt: Number.MAX_SAFE_INTEGER }).success).toBe(false);
  });

  it('VOICE-04: a row whose time is outside the Date range still renders (no RangeError), without a machine time', () => {
    render(<CallLogRow entry={{ ...entry, startedAt: Number.MAX_SAFE_INTEGER, endedAt: Number.MAX_SAFE_INTEGER, seen: true }} peerName="Bob" publicKey={'b'.repeat(64)} />);
    expect(screen.getByTestId('call-entry').textContent).toBe('Call · 1 s');
    expect(screen.getByTestId('call-log-row').querySelector('time')?.hasAttribute('datetime')).toBe(false);
  });

  it('VOICE-04: an entry the core answers is held to the same rules as a reported one (review finding 13)', () => {
    const stored = { ...entry, startedAt: 1_000, endedAt: 2_000, seen: true };
    expect(storedCallLogEntrySchema.safeParse(stored).success).toBe(true);
    expect(storedCallLogEntrySchema.safeParse({ ...stored, durationMs: null }).success).toBe(false);
    expect(storedCallLogEntrySchema.safeParse({ ...stored, endedAt: 999 }).success).toBe(false);
    expect(storedCallLogEntrySchema.safeParse({ ...stored, seen: false }).success).toBe(false);
    expect(storedCallLogEntrySchema.safeParse({ ...stored, direction: 'outgoing', outcome: 'missed', durationMs: null }).success).toBe(false);
    expect(storedCallLogEntrySchema.safeParse({ ...stored, outcome: 'missed', durationMs: null, seen: false }).success).toBe(true);
  });
});

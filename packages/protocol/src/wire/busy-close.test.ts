import { describe, expect, it } from 'vitest';
import { busyCloseReason, CLOSE_CODES, isFatalCloseCode, MAX_BUSY_RETRY_MS, retryDelayFromBusyReason } from './close-codes';

describe('SERVER_BUSY close reason (INFR-05)', () => {
  it('INFR-05: the retry delay round-trips through the close reason, clamped to the backoff cap', () => {
    expect(CLOSE_CODES.SERVER_BUSY).toBe(4529);
    expect(isFatalCloseCode(CLOSE_CODES.SERVER_BUSY)).toBe(false);
    for (const ms of [0, 1, 1_000, 12_345, MAX_BUSY_RETRY_MS]) expect(retryDelayFromBusyReason(busyCloseReason(ms))).toBe(ms);
    expect(busyCloseReason(1234.6)).toBe('1235');
    expect(busyCloseReason(10 * MAX_BUSY_RETRY_MS)).toBe(String(MAX_BUSY_RETRY_MS));
    expect(busyCloseReason(-5)).toBe('0');
  });

  it('INFR-05: anything else in the reason is not a delay', () => {
    for (const reason of ['', ' 100', '100 ', '1e3', '-1', '0x10', '1.5', '123456', '60001', '99999', 'retry=100', '１００']) {
      expect(retryDelayFromBusyReason(reason), reason).toBeNull();
    }
  });
});

import { describe, expect, it } from 'vitest';
import { connectionEndedDetail } from './connection-words';

describe('connection messages in words (issue 15 item 9, UI-01)', () => {
  it('never shows a bare close code or socket error code', () => {
    const cases = [
      { socketError: 'ENOTFOUND', closeCode: 1006, wasOpen: false },
      { socketError: 'ECONNREFUSED', closeCode: 1006, wasOpen: false },
      { socketError: 'ECONNRESET', closeCode: 1006, wasOpen: true },
      { socketError: 'CERT_HAS_EXPIRED', closeCode: 1006, wasOpen: false },
      { socketError: null, closeCode: 1006, wasOpen: true },
      { socketError: null, closeCode: 1006, wasOpen: false },
      { socketError: null, closeCode: 1011, wasOpen: true },
    ];
    for (const c of cases) {
      const text = connectionEndedDetail(c);
      expect(text, JSON.stringify(c)).not.toMatch(/\b1006\b|\b1011\b|ENOTFOUND|ECONNREFUSED|ECONNRESET|CERT_HAS_EXPIRED/);
      expect(text).toMatch(/^[A-Z].*\.$/);
    }
  });

  it('says what happened: could not connect, or lost, and why', () => {
    expect(connectionEndedDetail({ socketError: 'ENOTFOUND', closeCode: 1006, wasOpen: false })).toBe(
      'Could not connect to the server: the server’s name could not be found; check the address and this computer’s internet connection.',
    );
    expect(connectionEndedDetail({ socketError: 'ECONNREFUSED', closeCode: 1006, wasOpen: false })).toBe(
      'Could not connect to the server: nothing answers at the server’s address (is the server running?).',
    );
    expect(connectionEndedDetail({ socketError: null, closeCode: 1006, wasOpen: true })).toMatch(/^The connection to the server was lost: it stopped without saying goodbye/);
    expect(connectionEndedDetail({ socketError: null, closeCode: 1001, wasOpen: true })).toBe('The server is restarting.');
    // An error code this version has no words for is named as a network error, inside a sentence.
    expect(connectionEndedDetail({ socketError: 'EWHATEVER', closeCode: 1006, wasOpen: true })).toBe('The connection to the server was lost (network error EWHATEVER).');
  });
});

import { describe, expect, it } from 'vitest';
import { parseRetryAfter } from './parse-retry-after.js';

// 2015-10-21T07:27:30Z: thirty seconds before the dates used below.
const NOW = Date.UTC(2015, 9, 21, 7, 27, 30);
const now = () => NOW;

describe('parseRetryAfter', () => {
  it('reads retry-after-ms as (fractional) milliseconds, rounded to a whole millisecond', () => {
    expect(parseRetryAfter({ retryAfterMs: '250' })).toBe(250);
    expect(parseRetryAfter({ retryAfterMs: '1500.5' })).toBe(1501);
    expect(parseRetryAfter({ retryAfterMs: '0' })).toBe(0);
  });

  it('prefers retry-after-ms over retry-after', () => {
    expect(parseRetryAfter({ retryAfterMs: '100', retryAfter: '5' })).toBe(100);
  });

  it('falls back to retry-after when retry-after-ms does not parse', () => {
    expect(parseRetryAfter({ retryAfterMs: 'soon', retryAfter: '2' })).toBe(2000);
    expect(parseRetryAfter({ retryAfterMs: '-100', retryAfter: '2' })).toBe(2000);
  });

  it('reads retry-after as (fractional) seconds', () => {
    expect(parseRetryAfter({ retryAfter: '1.5' })).toBe(1500);
    expect(parseRetryAfter({ retryAfter: '0' })).toBe(0);
    expect(parseRetryAfter({ retryAfter: '.25' })).toBe(250);
    expect(parseRetryAfter({ retryAfter: ' 3 ' })).toBe(3000);
    // 1.1 * 1000 is 1100.0000000000002 in floating point: rounding hides it.
    expect(parseRetryAfter({ retryAfter: '1.1' })).toBe(1100);
  });

  it('reads an IMF-fixdate relative to the injected clock', () => {
    expect(parseRetryAfter({ retryAfter: 'Wed, 21 Oct 2015 07:28:00 GMT', now })).toBe(30_000);
  });

  it('reads the obsolete RFC 850 and asctime forms, asctime as GMT', () => {
    expect(parseRetryAfter({ retryAfter: 'Wednesday, 21-Oct-15 07:28:00 GMT', now })).toBe(30_000);
    expect(parseRetryAfter({ retryAfter: 'Wed Oct 21 07:28:00 2015', now })).toBe(30_000);
  });

  it('gives 0 for a date already past: the upstream allows a retry now', () => {
    expect(parseRetryAfter({ retryAfter: 'Wed, 21 Oct 2015 07:27:00 GMT', now })).toBe(0);
  });

  it('takes the first value of a repeated header', () => {
    expect(parseRetryAfter({ retryAfter: ['2', '9'] })).toBe(2000);
    expect(parseRetryAfter({ retryAfterMs: ['40', '90'] })).toBe(40);
    expect(parseRetryAfter({ retryAfter: [] })).toBeUndefined();
  });

  describe('bad input', () => {
    it('returns undefined when there are no headers', () => {
      expect(parseRetryAfter({})).toBeUndefined();
      expect(parseRetryAfter({ retryAfter: '', retryAfterMs: '  ' })).toBeUndefined();
    });

    it('returns undefined for negative and non-decimal numbers', () => {
      for (const value of ['-5', '-1.5', '1e3', '0x10', 'Infinity', 'NaN', '123abc', '1.2.3', '+5']) {
        expect(parseRetryAfter({ retryAfter: value, now }), value).toBeUndefined();
        expect(parseRetryAfter({ retryAfterMs: value, now }), value).toBeUndefined();
      }
    });

    it('returns undefined for text that is not an HTTP-date, even where Date.parse would guess one', () => {
      // Date.parse('-5') and Date.parse('2015-10-21') both succeed in V8.
      for (const value of ['soon', '2015-10-21', 'Wed, 32 Oct 2015 07:28:00 GMT', 'Someday, 21 Oct 2015 07:28:00 GMT']) {
        expect(parseRetryAfter({ retryAfter: value, now }), value).toBeUndefined();
      }
    });
  });
});

import { describe, expect, it } from 'vitest';
import { parseInstant } from './parse-instant.js';

describe('parseInstant', () => {
  it('reads RFC 3339 times with a zone and plain dates as UTC midnight', () => {
    expect(parseInstant({ text: '2025-06-15', field: 'from' })).toBe(Date.UTC(2025, 5, 15));
    expect(parseInstant({ text: '2025-06-15T08:30:00Z', field: 'from' })).toBe(Date.UTC(2025, 5, 15, 8, 30));
    expect(parseInstant({ text: '2025-06-15T08:30:00.250+02:00', field: 'from' })).toBe(Date.UTC(2025, 5, 15, 6, 30, 0, 250));
  });

  it('refuses a time without a zone, an impossible date and anything else, naming the field', () => {
    for (const text of ['2025-06-15T08:30:00', '2025-13-01', '2025-02-30', '2025-04-31T00:00:00Z', '2025-06-15T24:30:00Z', '2025-06-15 08:30Z', 'yesterday', '1750000000000', '']) {
      expect(() => parseInstant({ text, field: 'to' }), text).toThrow(/^to: /);
    }
  });
});

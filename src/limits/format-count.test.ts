import { describe, expect, it } from 'vitest';
import { formatCount } from './format-count.js';

describe('formatCount', () => {
  it('gives the text String() gives, for every kind of count a header carries', () => {
    const counts = [0, 1, 9, 10, 99, 1_000, 999_999_999, 1_000_000_000_000, 2 ** 31, Number.MAX_SAFE_INTEGER, 123_456_789_012_345];
    for (let count = 0; count < 2_000; count += 7) counts.push(count);
    for (const count of counts) expect(formatCount(count)).toBe(String(count));
  });
});

import { describe, expect, it } from 'vitest';
import { formatNanoUsd, parseUsdAmount } from './usd-amount.js';

describe('parseUsdAmount', () => {
  it('parses exactly, to the nano-USD', () => {
    expect(parseUsdAmount('25.50')).toBe(25_500_000_000);
    expect(parseUsdAmount('0.1')).toBe(100_000_000);
    expect(parseUsdAmount('0.000000001')).toBe(1);
    expect(parseUsdAmount('-5')).toBe(-5_000_000_000);
    expect(parseUsdAmount('1000000')).toBe(1_000_000_000_000_000);
    expect(parseUsdAmount('9007199.254740991')).toBe(Number.MAX_SAFE_INTEGER);
  });

  it('refuses what is not a plain amount', () => {
    for (const text of ['', '1e3', '1.', '.5', '0.0000000001', '1,5', ' 1', '+1', '9007199.254740992']) expect(parseUsdAmount(text), text).toBeUndefined();
  });
});

describe('formatNanoUsd', () => {
  it('writes all nine decimals', () => {
    expect(formatNanoUsd(12_500_000_000)).toBe('12.500000000');
    expect(formatNanoUsd(1)).toBe('0.000000001');
    expect(formatNanoUsd(-1_000_000_001)).toBe('-1.000000001');
    expect(formatNanoUsd(0)).toBe('0.000000000');
  });
});

import { describe, expect, it } from 'vitest';
import { parsePriceMultiplier } from './parse-price-multiplier.js';

describe('parsePriceMultiplier', () => {
  it.each([
    ['0.8', 8n, 10n],
    ['0.80', 8n, 10n],
    ['1', 1n, 1n],
    ['1.5', 15n, 10n],
    ['0', 0n, 1n],
    ['0.0005', 5n, 10_000n],
    ['0.333333333333333333', 333_333_333_333_333_333n, 10n ** 18n], // no precision limit: exact
  ])('%s is %s/%s', (text, numerator, denominator) => {
    expect(parsePriceMultiplier(text)).toEqual({ numerator, denominator });
  });

  it.each(['-0.8', '80%', '0,8', '', '.8', '1e-1'])('refuses %j', (text) => {
    expect(() => parsePriceMultiplier(text)).toThrow(/^multiplier: .* is not a decimal number/);
  });
});

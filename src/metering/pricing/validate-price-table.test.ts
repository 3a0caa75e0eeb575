import { describe, expect, it } from 'vitest';
import type { ModelPrice } from './model-price.js';
import { validatePriceTable } from './validate-price-table.js';

const valid: ModelPrice = { pattern: 'model-a', inputPerMTok: '1', outputPerMTok: '2' };

describe('validatePriceTable', () => {
  it('accepts a valid table, and an empty one', () => {
    expect(() => validatePriceTable({ table: [valid, { ...valid, pattern: 'model-b*' }] })).not.toThrow();
    expect(() => validatePriceTable({ table: [] })).not.toThrow();
  });

  it('finds an error in the long-context tier, which ordinary requests never reach', () => {
    const table = [{ ...valid, longContext: { thresholdInputTokens: 100, inputPerMTok: '2', outputPerMTok: 'four' } }];
    expect(() => validatePriceTable({ table })).toThrow(/^price "model-a" longContext.outputPerMTok: "four" is not a decimal number/);
  });

  it('finds a derived cache price that is not whole', () => {
    expect(() => validatePriceTable({ table: [{ ...valid, inputPerMTok: '0.000002', cacheWrite5mPerMTok: '0.000003' }] })).toThrow(
      // 2 pico-USD × 1/10 = 0.2 pico-USD per token.
      /^price "model-a" cacheReadPerMTok: the default \(1\/10 × inputPerMTok "0.000002"\)/,
    );
  });

  it('finds an invalid server-tool price', () => {
    expect(() => validatePriceTable({ table: [{ ...valid, webSearchPer1k: '-10' }] })).toThrow(/^price "model-a" webSearchPer1k/);
  });

  it('refuses a duplicate pattern and an empty one', () => {
    expect(() => validatePriceTable({ table: [valid, { ...valid }] })).toThrow(/entry 1: pattern "model-a" appears twice/);
    expect(() => validatePriceTable({ table: [{ ...valid, pattern: '' }] })).toThrow(/entry 0: pattern must be a non-empty/);
  });
});

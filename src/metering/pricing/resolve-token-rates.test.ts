import { describe, expect, it } from 'vitest';
import type { ModelPrice } from './model-price.js';
import { resolveTokenRates } from './resolve-token-rates.js';

// All rates in pico-USD per token (per use for server tools): $1/MTok = 1,000,000.
const sonnet45: ModelPrice = {
  pattern: 'claude-sonnet-4-5*',
  inputPerMTok: '3',
  outputPerMTok: '15',
  longContext: { thresholdInputTokens: 200_000, inputPerMTok: '6', outputPerMTok: '22.50' },
};

describe('resolveTokenRates', () => {
  it('derives omitted cache prices by Anthropic multipliers: 1.25×, 2×, 0.1× of $3', () => {
    expect(resolveTokenRates({ price: sonnet45, totalInputTokens: 0 })).toEqual({
      tier: 'standard',
      input: 3_000_000n,
      output: 15_000_000n,
      cacheWrite5m: 3_750_000n, // $3.75
      cacheWrite1h: 6_000_000n, // $6
      cacheRead: 300_000n, // $0.30
      webSearch: 10_000_000_000n, // default $10 per 1,000
      webFetch: 0n, // default free per use
    });
  });

  it('keeps the standard tier at exactly the threshold and switches one token above it', () => {
    expect(resolveTokenRates({ price: sonnet45, totalInputTokens: 200_000 }).tier).toBe('standard');
    expect(resolveTokenRates({ price: sonnet45, totalInputTokens: 200_001 })).toEqual({
      tier: 'long-context',
      input: 6_000_000n,
      output: 22_500_000n,
      cacheWrite5m: 7_500_000n, // 1.25 × $6
      cacheWrite1h: 12_000_000n, // 2 × $6
      cacheRead: 600_000n, // 0.1 × $6
      webSearch: 10_000_000_000n, // unchanged by the tier
      webFetch: 0n,
    });
  });

  it('uses stated cache and server-tool prices over the defaults', () => {
    const rates = resolveTokenRates({
      price: {
        pattern: 'claude-3-haiku*',
        inputPerMTok: '0.25',
        outputPerMTok: '1.25',
        cacheWrite5mPerMTok: '0.30',
        cacheWrite1hPerMTok: '0.50',
        cacheReadPerMTok: '0.03',
        webSearchPer1k: '25',
        webFetchPer1k: '1',
      },
      totalInputTokens: 0,
    });
    expect(rates).toMatchObject({
      input: 250_000n,
      cacheWrite5m: 300_000n,
      cacheWrite1h: 500_000n,
      cacheRead: 30_000n,
      webSearch: 25_000_000_000n,
      webFetch: 1_000_000_000n,
    });
  });

  it('derives exact sub-nano cache prices: $0.0275 → 34,375 / 55,000 / 2,750 pico-USD', () => {
    const rates = resolveTokenRates({ price: { pattern: 'm', inputPerMTok: '0.0275', outputPerMTok: '0.11' }, totalInputTokens: 0 });
    expect(rates).toMatchObject({ input: 27_500n, output: 110_000n, cacheWrite5m: 34_375n, cacheWrite1h: 55_000n, cacheRead: 2_750n });
  });

  it('refuses a derived cache price that is not a whole pico-USD, and accepts it stated', () => {
    // 1 pico-USD × 5/4 = 1.25 pico-USD.
    const price: ModelPrice = { pattern: 'tiny', inputPerMTok: '0.000001', outputPerMTok: '1' };
    expect(() => resolveTokenRates({ price, totalInputTokens: 0 })).toThrow(
      /^price "tiny" cacheWrite5mPerMTok: the default \(5\/4 × inputPerMTok "0.000001"\) is not a whole pico-USD per token; state cacheWrite5mPerMTok explicitly/,
    );
    const stated = { ...price, cacheWrite5mPerMTok: '0.000001', cacheReadPerMTok: '0' };
    expect(resolveTokenRates({ price: stated, totalInputTokens: 0 })).toMatchObject({ cacheWrite5m: 1n, cacheWrite1h: 2n, cacheRead: 0n });
  });

  it('names the tier and field of an invalid price', () => {
    const price: ModelPrice = { ...sonnet45, longContext: { thresholdInputTokens: 200_000, inputPerMTok: '6', outputPerMTok: '22,50' } };
    expect(resolveTokenRates({ price, totalInputTokens: 10 }).output).toBe(15_000_000n);
    expect(() => resolveTokenRates({ price, totalInputTokens: 200_001 })).toThrow(
      /^price "claude-sonnet-4-5\*" longContext.outputPerMTok: "22,50" is not a decimal number/,
    );
  });

  it.each([-1, 1.5, Number.NaN, Number.POSITIVE_INFINITY])('refuses a long-context threshold of %s', (thresholdInputTokens) => {
    const price: ModelPrice = { ...sonnet45, longContext: { thresholdInputTokens, inputPerMTok: '6', outputPerMTok: '22.50' } };
    expect(() => resolveTokenRates({ price, totalInputTokens: 0 })).toThrow(/longContext.thresholdInputTokens: .* is not a non-negative whole number/);
  });
});

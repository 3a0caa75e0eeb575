import { describe, expect, it } from 'vitest';
import { createEmptyUsage, type Usage } from '../usage.js';
import { DEFAULT_PRICES } from './default-prices.js';
import { estimateWorstCaseCost } from './estimate-worst-case-cost.js';
import type { ModelPrice } from './model-price.js';
import { priceUsage } from './price-usage.js';
import { resolveModelPrice } from './resolve-model-price.js';

const priceOf = (model: string): ModelPrice => resolveModelPrice({ model, table: DEFAULT_PRICES })!;
const sonnet45 = priceOf('claude-sonnet-4-5-20250929');

describe('estimateWorstCaseCost', () => {
  it('counts input at the 1-hour cache-write rate and all of max_tokens as output', () => {
    // Sonnet 4.5: 10,000 × 6,000 + 8,192 × 15,000 = 60,000,000 + 122,880,000.
    expect(estimateWorstCaseCost({ inputTokens: 10_000, maxOutputTokens: 8192, price: sonnet45 })).toBe(182_880_000);
  });

  it('applies the multiplier: 182,880,000 × 0.8 = 146,304,000', () => {
    expect(estimateWorstCaseCost({ inputTokens: 10_000, maxOutputTokens: 8192, price: sonnet45, multiplier: '0.8' })).toBe(146_304_000);
  });

  it('uses the long-context tier above the threshold: 250,000 × 12,000 + 1,000 × 22,500', () => {
    expect(estimateWorstCaseCost({ inputTokens: 250_000, maxOutputTokens: 1000, price: sonnet45 })).toBe(3_022_500_000);
    // At the threshold: 200,000 × 6,000; one above: 200,001 × 12,000.
    expect(estimateWorstCaseCost({ inputTokens: 200_000, maxOutputTokens: 0, price: sonnet45 })).toBe(1_200_000_000);
    expect(estimateWorstCaseCost({ inputTokens: 200_001, maxOutputTokens: 0, price: sonnet45 })).toBe(2_400_012_000);
  });

  it('uses stated cache prices: Claude Haiku 3, 1,000 × 500 + 100 × 1,250 = 625,000', () => {
    expect(estimateWorstCaseCost({ inputTokens: 1000, maxOutputTokens: 100, price: priceOf('claude-3-haiku-20240307') })).toBe(625_000);
  });

  it('takes whichever input-side rate is highest, even a cache read priced above the rest', () => {
    // 10 × $9/MTok = 10 × 9,000.
    const odd: ModelPrice = { pattern: 'odd', inputPerMTok: '1', outputPerMTok: '1', cacheReadPerMTok: '9' };
    expect(estimateWorstCaseCost({ inputTokens: 10, maxOutputTokens: 0, price: odd })).toBe(90_000);
  });

  it('adds the web searches the request allows: 5 × 10,000,000', () => {
    expect(estimateWorstCaseCost({ inputTokens: 0, maxOutputTokens: 0, price: sonnet45, maxWebSearchRequests: 5 })).toBe(50_000_000);
  });

  it('rounds up, never to nearest', () => {
    // $0.0001/MTok input → 1-hour write 200 pico-USD: 1 token = 0.2 → 1; 5 tokens = 1,000 pico-USD = exactly 1.
    const tiny: ModelPrice = { pattern: 'tiny', inputPerMTok: '0.0001', outputPerMTok: '0' };
    expect(estimateWorstCaseCost({ inputTokens: 1, maxOutputTokens: 0, price: tiny })).toBe(1);
    expect(estimateWorstCaseCost({ inputTokens: 5, maxOutputTokens: 0, price: tiny })).toBe(1);
    expect(estimateWorstCaseCost({ inputTokens: 6, maxOutputTokens: 0, price: tiny })).toBe(2);
  });

  it('is never below what any split of the same input settles at', () => {
    const prices = [sonnet45, priceOf('claude-opus-4-5-20251101'), priceOf('claude-3-haiku-20240307'), priceOf('claude-3-5-haiku-20241022')];
    const splits = (total: number): Usage[] => {
      const parts = [0, 1, Math.floor(total / 3), Math.floor(total / 2), total];
      const usages: Usage[] = [];
      for (const write1h of parts) {
        for (const write5m of parts) {
          for (const read of parts) {
            if (write1h + write5m + read > total) continue;
            usages.push({ ...createEmptyUsage(), inputTokens: total - write1h - write5m - read, cacheWrite1hTokens: write1h, cacheWrite5mTokens: write5m, cacheReadTokens: read, outputTokens: 777 });
          }
        }
      }
      return usages;
    };
    for (const price of prices) {
      for (const total of [0, 7, 1234, 199_999, 200_000, 200_001, 300_000]) {
        for (const multiplier of [undefined, '0.85', '1.3333']) {
          const worst = estimateWorstCaseCost({ inputTokens: total, maxOutputTokens: 777, price, multiplier });
          for (const usage of splits(total)) {
            expect(worst).toBeGreaterThanOrEqual(priceUsage({ usage, price, multiplier }).costNanoUsd);
          }
        }
      }
    }
  });

  it.each([
    [{ inputTokens: -1, maxOutputTokens: 0 }, /^inputTokens: -1/],
    [{ inputTokens: 0, maxOutputTokens: 1.5 }, /^maxOutputTokens: 1.5/],
    [{ inputTokens: 0, maxOutputTokens: 0, maxWebSearchRequests: Number.NaN }, /^maxWebSearchRequests: NaN/],
  ])('refuses %o', (counts, message) => {
    expect(() => estimateWorstCaseCost({ ...counts, price: sonnet45 })).toThrow(message);
  });

  it('refuses an invalid multiplier', () => {
    expect(() => estimateWorstCaseCost({ inputTokens: 1, maxOutputTokens: 1, price: sonnet45, multiplier: '-1' })).toThrow(/^multiplier/);
  });
});

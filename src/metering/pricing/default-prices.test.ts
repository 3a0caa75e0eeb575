import { describe, expect, it } from 'vitest';
import { DEFAULT_PRICES } from './default-prices.js';
import { resolveModelPrice } from './resolve-model-price.js';
import { resolveTokenRates } from './resolve-token-rates.js';
import { validatePriceTable } from './validate-price-table.js';

// Anthropic's pricing page in pico-USD per token ($1/MTok = 1,000,000):
// model id → input, 5m write, 1h write, cache read, output.
// @see https://docs.anthropic.com/en/docs/about-claude/pricing
const M = 1_000_000n;
const published: Array<[string, bigint, bigint, bigint, bigint, bigint]> = [
  ['claude-opus-4-5-20251101', 5n * M, 6_250_000n, 10n * M, 500_000n, 25n * M],
  ['claude-opus-4-5', 5n * M, 6_250_000n, 10n * M, 500_000n, 25n * M],
  ['claude-sonnet-4-5-20250929', 3n * M, 3_750_000n, 6n * M, 300_000n, 15n * M],
  ['claude-sonnet-4-5', 3n * M, 3_750_000n, 6n * M, 300_000n, 15n * M],
  ['claude-haiku-4-5-20251001', 1n * M, 1_250_000n, 2n * M, 100_000n, 5n * M],
  ['claude-haiku-4-5', 1n * M, 1_250_000n, 2n * M, 100_000n, 5n * M],
  ['claude-opus-4-1-20250805', 15n * M, 18_750_000n, 30n * M, 1_500_000n, 75n * M],
  ['claude-opus-4-1', 15n * M, 18_750_000n, 30n * M, 1_500_000n, 75n * M],
  ['claude-opus-4-20250514', 15n * M, 18_750_000n, 30n * M, 1_500_000n, 75n * M],
  ['claude-opus-4-0', 15n * M, 18_750_000n, 30n * M, 1_500_000n, 75n * M],
  ['claude-sonnet-4-20250514', 3n * M, 3_750_000n, 6n * M, 300_000n, 15n * M],
  ['claude-sonnet-4-0', 3n * M, 3_750_000n, 6n * M, 300_000n, 15n * M],
  ['claude-3-7-sonnet-20250219', 3n * M, 3_750_000n, 6n * M, 300_000n, 15n * M],
  ['claude-3-7-sonnet-latest', 3n * M, 3_750_000n, 6n * M, 300_000n, 15n * M],
  ['claude-3-5-haiku-20241022', 800_000n, 1n * M, 1_600_000n, 80_000n, 4n * M],
  ['claude-3-5-haiku-latest', 800_000n, 1n * M, 1_600_000n, 80_000n, 4n * M],
  ['claude-3-haiku-20240307', 250_000n, 300_000n, 500_000n, 30_000n, 1_250_000n],
];

describe('DEFAULT_PRICES', () => {
  it('passes its own validation', () => {
    expect(() => validatePriceTable({ table: DEFAULT_PRICES })).not.toThrow();
  });

  it.each(published)('%s: %s in, %s 5m write, %s 1h write, %s read, %s out', (model, input, write5m, write1h, read, output) => {
    const price = resolveModelPrice({ model, table: DEFAULT_PRICES });
    expect(price).toBeDefined();
    expect(resolveTokenRates({ price: price!, totalInputTokens: 0 })).toEqual({
      tier: 'standard',
      input,
      output,
      cacheWrite5m: write5m,
      cacheWrite1h: write1h,
      cacheRead: read,
      webSearch: 10_000_000_000n, // $10 per 1,000 searches
      webFetch: 0n,
    });
  });

  it.each(['claude-sonnet-4-5-20250929', 'claude-sonnet-4-20250514', 'claude-sonnet-4-0'])(
    '%s: above 200,000 input tokens, $6 / $22.50 and caches $7.50 / $12 / $0.60',
    (model) => {
      const price = resolveModelPrice({ model, table: DEFAULT_PRICES })!;
      expect(resolveTokenRates({ price, totalInputTokens: 200_000 }).tier).toBe('standard');
      expect(resolveTokenRates({ price, totalInputTokens: 200_001 })).toMatchObject({
        tier: 'long-context',
        input: 6n * M,
        output: 22_500_000n,
        cacheWrite5m: 7_500_000n,
        cacheWrite1h: 12n * M,
        cacheRead: 600_000n,
      });
    },
  );

  it.each(['claude-opus-4-5-20251101', 'claude-haiku-4-5-20251001', 'claude-opus-4-1-20250805', 'claude-3-7-sonnet-20250219'])(
    '%s has no long-context tier',
    (model) => {
      expect(resolveModelPrice({ model, table: DEFAULT_PRICES })?.longContext).toBeUndefined();
    },
  );

  // Prices not known with confidence are left to the operator: guessing would
  // bill wrongly, and the narrow patterns keep these from inheriting an older
  // model's price. claude-opus-4-8 is what the recorded Claude Code sends;
  // claude-sonnet-5 and claude-opus-4-6 answer in the recorded streams.
  it.each([
    'claude-opus-4-8',
    'claude-opus-4-6',
    'claude-sonnet-4-6',
    'claude-sonnet-5',
    'claude-opus-4-7',
    'claude-3-opus-20240229', // retired; not in the defaults
    'CLAUDE-SONNET-4-5-20250929', // model ids are case-sensitive
    'deepseek-reasoner',
    'gpt-4o',
  ])('%s is not priced', (model) => {
    expect(resolveModelPrice({ model, table: DEFAULT_PRICES })).toBeUndefined();
  });

  it('has no pattern that another pattern shadows', () => {
    for (const [index, price] of DEFAULT_PRICES.entries()) {
      const example = price.pattern.replace('*', '-20990101');
      expect(resolveModelPrice({ model: example, table: DEFAULT_PRICES }), price.pattern).toBe(DEFAULT_PRICES[index]);
    }
  });
});

import type { ModelPrice } from './model-price.js';
import { resolveTokenRates } from './resolve-token-rates.js';

/**
 * Checks every entry of a price table at load time — each price string, the
 * cache prices derived from it, the long-context tier — so that a typo in the
 * operator's prices stops the gateway at start-up instead of failing the
 * settlement of the first request that uses the model.
 *
 * Throws the first problem found (its message names the pattern and the
 * field); also refuses an entry without a pattern, and two entries with the
 * same pattern, since the second could never apply.
 */
export function validatePriceTable(options: { table: readonly ModelPrice[] }): void {
  const seen = new Set<string>();
  for (const [index, price] of options.table.entries()) {
    if (typeof price.pattern !== 'string' || price.pattern === '') {
      throw new Error(`price table entry ${index}: pattern must be a non-empty model name or pattern`);
    }
    if (seen.has(price.pattern)) {
      throw new Error(`price table entry ${index}: pattern ${JSON.stringify(price.pattern)} appears twice; only the first would apply`);
    }
    seen.add(price.pattern);
    resolveTokenRates({ price, totalInputTokens: 0 });
    if (price.longContext !== undefined) {
      resolveTokenRates({ price, totalInputTokens: price.longContext.thresholdInputTokens + 1 });
    }
  }
}

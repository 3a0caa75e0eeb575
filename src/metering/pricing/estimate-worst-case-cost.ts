import { convertPicoUsdToNanoUsd } from './convert-pico-usd-to-nano-usd.js';
import type { ModelPrice } from './model-price.js';
import { parsePriceMultiplier } from './parse-price-multiplier.js';
import { resolveTokenRates } from './resolve-token-rates.js';

/**
 * The most a request can cost, in nano-USD, for the quota reservation made
 * before it is sent (and settled to `priceUsage` afterwards).
 *
 * - Input: before the answer nobody knows how much of the prompt the upstream
 *   will read from cache, write to cache (at 1.25× or 2× the input price) or
 *   bill plainly, so every input token is counted at the highest input-side
 *   rate of its tier — the one-hour cache write with Anthropic's prices.
 * - The tier is chosen from `inputTokens` (the caller's estimate of total
 *   input): above the long-context threshold the whole request is priced at
 *   the long-context rates, as it will be billed.
 * - Output: all of `max_tokens` at the output price (thinking is output).
 * - Web searches: `maxWebSearchRequests` (the web_search tool's `max_uses`,
 *   when the request has that tool) at the search price; 0 by default.
 *   Web fetches are free per use with Anthropic's prices and not reserved.
 *
 * The multiplier applies as it will at settlement, and the result is rounded
 * up, never to nearest, so the reservation is never below what the same
 * usage settles at.
 */
export function estimateWorstCaseCost(options: {
  inputTokens: number;
  maxOutputTokens: number;
  price: ModelPrice;
  multiplier?: string | undefined;
  maxWebSearchRequests?: number | undefined;
}): number {
  const { inputTokens, maxOutputTokens, price, maxWebSearchRequests = 0 } = options;
  for (const [name, count] of [
    ['inputTokens', inputTokens],
    ['maxOutputTokens', maxOutputTokens],
    ['maxWebSearchRequests', maxWebSearchRequests],
  ] as const) {
    if (!(Number.isSafeInteger(count) && count >= 0)) {
      throw new RangeError(`${name}: ${String(count)} is not a non-negative whole number`);
    }
  }
  const multiplier = options.multiplier === undefined ? undefined : parsePriceMultiplier(options.multiplier);
  const rates = resolveTokenRates({ price, totalInputTokens: inputTokens });

  const inputRate = [rates.cacheWrite5m, rates.cacheWrite1h, rates.cacheRead].reduce(
    (highest, rate) => (rate > highest ? rate : highest),
    rates.input,
  );
  const picoUsd =
    BigInt(inputTokens) * inputRate + BigInt(maxOutputTokens) * rates.output + BigInt(maxWebSearchRequests) * rates.webSearch;
  return convertPicoUsdToNanoUsd({ picoUsd, multiplier, rounding: 'up' });
}

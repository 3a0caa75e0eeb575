import type { Usage } from '../usage.js';
import { convertPicoUsdToNanoUsd } from './convert-pico-usd-to-nano-usd.js';
import type { ModelPrice } from './model-price.js';
import { parsePriceMultiplier } from './parse-price-multiplier.js';
import { resolveTokenRates } from './resolve-token-rates.js';

/** The cost of each part of a request, in pico-USD (1e-12 USD), before any multiplier. */
export interface UsageCostBreakdown {
  input: bigint;
  output: bigint;
  cacheWrite5m: bigint;
  cacheWrite1h: bigint;
  cacheRead: bigint;
  webSearch: bigint;
  webFetch: bigint;
}

export interface PricedUsage {
  /** What the request costs, multiplier applied, rounded once (half up) to a whole nano-USD. */
  costNanoUsd: number;
  /** Which prices applied: the long-context tier bills the whole request. */
  tier: 'standard' | 'long-context';
  /**
   * Exact, unrounded, before the multiplier. BigInts: convert with `String()`
   * before logging as JSON (JSON.stringify throws on a bigint).
   */
  breakdownPicoUsd: UsageCostBreakdown;
  /** The sum of the breakdown, in pico-USD, before the multiplier. */
  totalPicoUsd: bigint;
}

const USAGE_FIELDS = [
  'inputTokens',
  'outputTokens',
  'cacheWrite5mTokens',
  'cacheWrite1hTokens',
  'cacheReadTokens',
  'webSearchRequests',
  'webFetchRequests',
] as const satisfies readonly (keyof Usage)[];

/**
 * What one request costs.
 *
 * Every component is an exact integer product in pico-USD (tokens × pico-USD
 * per token, uses × pico-USD per use); they are summed, the user group's
 * multiplier ("0.8") is applied as an exact fraction, and the result is
 * rounded once, half up, to nano-USD. Rounding each component, or rounding
 * before the multiplier, would make a request's cost depend on how it is
 * split up; rounding once makes it the cost of the whole.
 *
 * The tier is decided by total input — uncached input + 5-minute and 1-hour
 * cache writes + cache reads —, and when it is the long-context tier every
 * token of the request is billed at its prices, not only those beyond the
 * threshold (Anthropic: "requests that exceed 200K input tokens are
 * automatically charged at premium long context rates"; "the 200K threshold is
 * based solely on input tokens (including cache reads/writes)").
 * @see https://docs.anthropic.com/en/docs/about-claude/pricing#long-context-pricing
 *
 * Throws when the price or multiplier is invalid or a usage count is not a
 * non-negative safe integer: billing a wrong amount silently is worse.
 */
export function priceUsage(options: { usage: Usage; price: ModelPrice; multiplier?: string | undefined }): PricedUsage {
  const { usage, price } = options;
  for (const field of USAGE_FIELDS) {
    const count = usage[field];
    if (!(Number.isSafeInteger(count) && count >= 0)) {
      throw new RangeError(`usage.${field}: ${String(count)} is not a non-negative whole number`);
    }
  }
  const multiplier = options.multiplier === undefined ? undefined : parsePriceMultiplier(options.multiplier);

  const totalInputTokens = usage.inputTokens + usage.cacheWrite5mTokens + usage.cacheWrite1hTokens + usage.cacheReadTokens;
  const rates = resolveTokenRates({ price, totalInputTokens });

  const breakdownPicoUsd: UsageCostBreakdown = {
    input: BigInt(usage.inputTokens) * rates.input,
    output: BigInt(usage.outputTokens) * rates.output,
    cacheWrite5m: BigInt(usage.cacheWrite5mTokens) * rates.cacheWrite5m,
    cacheWrite1h: BigInt(usage.cacheWrite1hTokens) * rates.cacheWrite1h,
    cacheRead: BigInt(usage.cacheReadTokens) * rates.cacheRead,
    webSearch: BigInt(usage.webSearchRequests) * rates.webSearch,
    webFetch: BigInt(usage.webFetchRequests) * rates.webFetch,
  };
  const totalPicoUsd = Object.values(breakdownPicoUsd).reduce((sum, part) => sum + part, 0n);

  return {
    costNanoUsd: convertPicoUsdToNanoUsd({ picoUsd: totalPicoUsd, multiplier, rounding: 'half-up' }),
    tier: rates.tier,
    breakdownPicoUsd,
    totalPicoUsd,
  };
}

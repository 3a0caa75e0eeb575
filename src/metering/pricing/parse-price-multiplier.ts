import { parseDecimal } from './parse-decimal.js';

/** An exact non-negative rational: numerator / denominator, denominator > 0. */
export interface PriceMultiplier {
  numerator: bigint;
  denominator: bigint;
}

/**
 * Parses a user group's price multiplier ("0.8" for a 20 % discount, "1.5" for
 * a surcharge, "0" for a free group) into an exact fraction, "0.8" → 8/10, so
 * that applying it to a cost never goes through floating point. Any number of
 * decimals is allowed: the multiplier is applied before the one rounding of a
 * request's cost, so its precision is never lost.
 */
export function parsePriceMultiplier(text: string, label = 'multiplier'): PriceMultiplier {
  const { coefficient, scale } = parseDecimal({ text, label });
  return { numerator: coefficient, denominator: 10n ** BigInt(scale) };
}

import type { PriceMultiplier } from './parse-price-multiplier.js';

const PICO_PER_NANO = 1000n;

/**
 * The one rounding of a request's cost: an exact pico-USD amount, times an
 * exact multiplier, to the whole nano-USD the ledger stores.
 *
 * - `half-up` (settling a request): the nearest nano-USD, exactly .5 going up.
 *   Amounts are never negative, so this is also "half away from zero"; it is
 *   the rounding people do by hand, which makes every ledger row checkable
 *   with a calculator. The bias is at most half a nano-USD per request.
 * - `up` (reserving for a request): the next whole nano-USD, so a reservation
 *   is never smaller than what the same usage settles at.
 *
 * Throws a RangeError when the result is not a safe integer (above about
 * $9 million), because a cost that a Number cannot hold exactly must not be
 * written rounded.
 */
export function convertPicoUsdToNanoUsd(options: {
  picoUsd: bigint;
  multiplier?: PriceMultiplier | undefined;
  rounding: 'half-up' | 'up';
}): number {
  const { picoUsd, rounding } = options;
  const multiplier = options.multiplier ?? { numerator: 1n, denominator: 1n };
  if (picoUsd < 0n) throw new RangeError(`cost of ${picoUsd} pico-USD is negative`);
  if (multiplier.numerator < 0n || multiplier.denominator <= 0n) {
    throw new RangeError(`multiplier ${multiplier.numerator}/${multiplier.denominator} is not a non-negative fraction`);
  }

  const numerator = picoUsd * multiplier.numerator;
  const denominator = multiplier.denominator * PICO_PER_NANO;
  let nano = numerator / denominator;
  const remainder = numerator % denominator;
  if (rounding === 'half-up' ? remainder * 2n >= denominator : remainder > 0n) nano += 1n;

  const result = Number(nano);
  if (!Number.isSafeInteger(result)) {
    throw new RangeError(`cost of ${nano} nano-USD is beyond the safe integer range`);
  }
  return result;
}

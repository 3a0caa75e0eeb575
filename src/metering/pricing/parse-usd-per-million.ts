import { parseDecimal } from './parse-decimal.js';

/** Pico-USD per token in one USD per million tokens: 1e12 / 1e6. */
const SCALE = 6;

/**
 * Parses a token price in USD per million tokens ("3", "0.30", "22.50") into
 * pico-USD (1e-12 USD) per token, exactly: "3" → 3,000,000n.
 *
 * A price with more than six significant decimals would be a fraction of a
 * pico-USD per token; rather than round a price (and every request priced with
 * it), it is refused with an error naming the price.
 */
export function parseUsdPerMillion(text: string, label = 'price'): bigint {
  const { coefficient, scale } = parseDecimal({ text, label });
  if (scale > SCALE) {
    throw new Error(
      `${label}: ${JSON.stringify(text)} USD per million tokens has more than ${SCALE} decimal places, ` +
        'a fraction of a pico-USD per token; round the price to at most 6 decimals',
    );
  }
  return coefficient * 10n ** BigInt(SCALE - scale);
}

import { parseDecimal } from './parse-decimal.js';

/** Pico-USD per use in one USD per 1,000 uses: 1e12 / 1e3. */
const SCALE = 9;

/**
 * Parses a per-use price in USD per 1,000 uses (Anthropic's "$10 per 1,000
 * searches") into pico-USD per use, exactly: "10" → 10,000,000,000n ($0.01).
 * More than nine significant decimals would be a fraction of a pico-USD and is
 * refused with an error naming the price.
 */
export function parseUsdPerThousand(text: string, label = 'price'): bigint {
  const { coefficient, scale } = parseDecimal({ text, label });
  if (scale > SCALE) {
    throw new Error(
      `${label}: ${JSON.stringify(text)} USD per 1,000 uses has more than ${SCALE} decimal places, ` +
        'a fraction of a pico-USD per use; round the price to at most 9 decimals',
    );
  }
  return coefficient * 10n ** BigInt(SCALE - scale);
}

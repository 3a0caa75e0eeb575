import { parseUsdAmount } from '../metering/money/usd-amount.js';
import { adminErrors } from './admin-errors.js';

/**
 * A request field holding US dollars as a decimal string ("12.50", "-5") →
 * whole nano-USD, exactly (see `parseUsdAmount`), or a 400 naming the field.
 */
export function parseUsdField(options: { text: string; field: string; allowNegative?: boolean }): number {
  const { text, field } = options;
  if (text.startsWith('-') && !options.allowNegative) throw adminErrors.invalid(field, 'must not be negative');
  const nanoUsd = parseUsdAmount(text);
  if (nanoUsd === undefined) {
    throw adminErrors.invalid(field, `${JSON.stringify(text)} is not an amount of US dollars with at most 9 decimals, below $9,007,199 (e.g. "12.50")`);
  }
  return nanoUsd;
}

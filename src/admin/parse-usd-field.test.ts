import { describe, expect, it } from 'vitest';
import { GatewayError } from '../errors/gateway-error.js';
import { parseUsdField } from './parse-usd-field.js';

describe('parseUsdField', () => {
  it('converts decimal USD to nano-USD exactly', () => {
    expect(parseUsdField({ text: '12.50', field: 'amount_usd' })).toBe(12_500_000_000);
    expect(parseUsdField({ text: '0.000000001', field: 'amount_usd' })).toBe(1);
    expect(parseUsdField({ text: '-5', field: 'amount_usd', allowNegative: true })).toBe(-5_000_000_000);
  });

  it('refuses with a 400 naming the field', () => {
    for (const [text, message] of [
      ['0.0000000001', /^amount_usd: "0.0000000001" is not an amount of US dollars with at most 9 decimals/],
      ['9007199.254740992', /^amount_usd: .* below \$9,007,199/],
      ['1e3', /^amount_usd: "1e3" is not/],
      ['-1', /^amount_usd: must not be negative$/],
    ] as const) {
      let error: unknown;
      try {
        parseUsdField({ text, field: 'amount_usd' });
      } catch (caught) {
        error = caught;
      }
      expect(error, text).toBeInstanceOf(GatewayError);
      expect((error as GatewayError).status).toBe(400);
      expect((error as GatewayError).message, text).toMatch(message);
    }
  });
});

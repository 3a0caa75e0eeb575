import { describe, expect, it } from 'vitest';
import { parseUsdPerMillion } from './parse-usd-per-million.js';

// One USD per million tokens is 1e12 pico-USD / 1e6 tokens = 1,000,000 pico-USD per token.
describe('parseUsdPerMillion', () => {
  it.each([
    ['3', 3_000_000n], // Sonnet input
    ['0.30', 300_000n], // Sonnet cache read
    ['3.75', 3_750_000n], // Sonnet 5-minute cache write
    ['22.50', 22_500_000n], // Sonnet long-context output
    ['0.80', 800_000n], // Haiku 3.5 input
    ['75', 75_000_000n],
    ['0', 0n],
    ['0.000001', 1n], // the finest price: one pico-USD per token
    ['0.0275', 27_500n], // 27.5 nano-USD per token: whole in pico-USD
    ['15.000000000', 15_000_000n], // trailing zeros are not precision
    ['075', 75_000_000n],
  ])('%s USD/MTok is %s pico-USD per token', (text, expected) => {
    expect(parseUsdPerMillion(text)).toBe(expected);
  });

  it.each(['', ' 3', '3 ', '-3', '+3', '3e0', '1e-6', '.5', '5.', '3,00', '1_000', 'NaN', 'Infinity', '0x10', '$3', '3.0.0', '٣'])(
    'refuses %j, which is not a plain decimal',
    (text) => {
      expect(() => parseUsdPerMillion(text, 'claude-x inputPerMTok')).toThrow(/^claude-x inputPerMTok: .* is not a decimal number/);
    },
  );

  it('refuses a number where a decimal string belongs (a price written unquoted in JSON)', () => {
    expect(() => parseUsdPerMillion(3 as unknown as string)).toThrow(/price: 3 is not a decimal number/);
  });

  it.each(['0.0000001', '3.0000005', '0.1234567'])('refuses %s: a fraction of a pico-USD per token', (text) => {
    expect(() => parseUsdPerMillion(text, 'p outputPerMTok')).toThrow(/^p outputPerMTok: .* more than 6 decimal places/);
  });
});

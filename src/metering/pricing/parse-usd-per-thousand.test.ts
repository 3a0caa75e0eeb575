import { describe, expect, it } from 'vitest';
import { parseUsdPerThousand } from './parse-usd-per-thousand.js';

// One USD per 1,000 uses is 1e12 pico-USD / 1e3 = 1e9 pico-USD per use.
describe('parseUsdPerThousand', () => {
  it.each([
    ['10', 10_000_000_000n], // Anthropic web search: $0.01 a search
    ['0', 0n], // Anthropic web fetch
    ['2.5', 2_500_000_000n],
    ['0.000000001', 1n],
  ])('%s USD per 1,000 is %s pico-USD per use', (text, expected) => {
    expect(parseUsdPerThousand(text)).toBe(expected);
  });

  it('refuses a fraction of a pico-USD per use', () => {
    expect(() => parseUsdPerThousand('0.0000000001', 'm webSearchPer1k')).toThrow(/^m webSearchPer1k: .* more than 9 decimal places/);
  });

  it('refuses what is not a plain decimal', () => {
    expect(() => parseUsdPerThousand('$10', 'm webSearchPer1k')).toThrow(/^m webSearchPer1k: "\$10" is not a decimal number/);
  });
});

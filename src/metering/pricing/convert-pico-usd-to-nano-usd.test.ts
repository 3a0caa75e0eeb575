import { describe, expect, it } from 'vitest';
import { convertPicoUsdToNanoUsd } from './convert-pico-usd-to-nano-usd.js';

describe('convertPicoUsdToNanoUsd: half up (settlement)', () => {
  it.each([
    [0n, 0],
    [499n, 0],
    [500n, 1], // exactly half a nano-USD goes up
    [1_499n, 1],
    [1_500n, 2],
    [2_500n, 3], // half up, not half to even (which would give 2)
    [2_501n, 3],
    [486_000_000n, 486_000],
  ])('%s pico-USD is %s nano-USD', (picoUsd, expected) => {
    expect(convertPicoUsdToNanoUsd({ picoUsd, rounding: 'half-up' })).toBe(expected);
  });

  it('applies the multiplier before the one rounding', () => {
    // 486,000 nano-USD × 0.8 = 388,800.
    expect(convertPicoUsdToNanoUsd({ picoUsd: 486_000_000n, multiplier: { numerator: 8n, denominator: 10n }, rounding: 'half-up' })).toBe(
      388_800,
    );
    // 3,000 nano-USD × 0.0005 = 1.5 → 2; 5,000 × 0.0005 = 2.5 → 3.
    const tiny = { numerator: 5n, denominator: 10_000n };
    expect(convertPicoUsdToNanoUsd({ picoUsd: 3_000_000n, multiplier: tiny, rounding: 'half-up' })).toBe(2);
    expect(convertPicoUsdToNanoUsd({ picoUsd: 5_000_000n, multiplier: tiny, rounding: 'half-up' })).toBe(3);
    // 1,000 pico-USD × 1/3 = 333.33… pico-USD = 0.333… nano-USD → 0; × 2/3 → 0.666… → 1.
    expect(convertPicoUsdToNanoUsd({ picoUsd: 1_000n, multiplier: { numerator: 1n, denominator: 3n }, rounding: 'half-up' })).toBe(0);
    expect(convertPicoUsdToNanoUsd({ picoUsd: 1_000n, multiplier: { numerator: 2n, denominator: 3n }, rounding: 'half-up' })).toBe(1);
  });
});

describe('convertPicoUsdToNanoUsd: up (reservation)', () => {
  it.each([
    [0n, 0],
    [1n, 1],
    [999n, 1],
    [1_000n, 1],
    [1_001n, 2],
  ])('%s pico-USD is %s nano-USD', (picoUsd, expected) => {
    expect(convertPicoUsdToNanoUsd({ picoUsd, rounding: 'up' })).toBe(expected);
  });
});

describe('convertPicoUsdToNanoUsd: limits', () => {
  it('returns the largest safe integer and refuses one more', () => {
    const max = BigInt(Number.MAX_SAFE_INTEGER);
    expect(convertPicoUsdToNanoUsd({ picoUsd: max * 1000n, rounding: 'half-up' })).toBe(Number.MAX_SAFE_INTEGER);
    expect(() => convertPicoUsdToNanoUsd({ picoUsd: (max + 1n) * 1000n, rounding: 'half-up' })).toThrow(RangeError);
  });

  it('refuses a negative amount or multiplier, and a zero denominator', () => {
    expect(() => convertPicoUsdToNanoUsd({ picoUsd: -1n, rounding: 'half-up' })).toThrow(RangeError);
    expect(() => convertPicoUsdToNanoUsd({ picoUsd: 1n, multiplier: { numerator: -1n, denominator: 1n }, rounding: 'up' })).toThrow(RangeError);
    expect(() => convertPicoUsdToNanoUsd({ picoUsd: 1n, multiplier: { numerator: 1n, denominator: 0n }, rounding: 'up' })).toThrow(RangeError);
  });
});

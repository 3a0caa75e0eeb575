import { describe, expect, test } from 'vitest';
import { generateApiKeySecret } from '../../src/storage/generate-api-key-secret.js';
import { generateId } from '../../src/storage/generate-id.js';
import { randomBase62 } from '../../src/storage/random-base62.js';
import { toSafeInteger } from '../../src/storage/to-safe-integer.js';

describe('random identifiers', () => {
  test('randomBase62 has the requested length and uses the whole alphabet roughly evenly', () => {
    expect(randomBase62(0)).toBe('');
    const sample = randomBase62(62_000);
    expect(sample).toMatch(/^[0-9A-Za-z]{62000}$/);
    const counts = new Map<string, number>();
    for (const character of sample) counts.set(character, (counts.get(character) ?? 0) + 1);
    expect(counts.size).toBe(62);
    // Expected 1,000 each; a biased modulo would skew the first characters by ~+25%.
    for (const count of counts.values()) expect(count).toBeGreaterThan(800);
    for (const count of counts.values()) expect(count).toBeLessThan(1_200);
  });

  test('ids and secrets have their documented shapes', () => {
    expect(generateId('usr')).toMatch(/^usr_[0-9A-Za-z]{20}$/);
    expect(generateId('ch')).toMatch(/^ch_[0-9A-Za-z]{20}$/);
    expect(generateApiKeySecret()).toMatch(/^sk-mr-[0-9A-Za-z]{40}$/);
  });
});

describe('toSafeInteger', () => {
  test('accepts numbers, numeric strings and bigints within range', () => {
    expect(toSafeInteger(42, 'x')).toBe(42);
    expect(toSafeInteger('9007199254740991', 'x')).toBe(Number.MAX_SAFE_INTEGER);
    expect(toSafeInteger('-12', 'x')).toBe(-12);
    expect(toSafeInteger(5_000_000_000n, 'x')).toBe(5_000_000_000);
  });

  test('refuses anything that would lose precision or is not an integer', () => {
    expect(() => toSafeInteger('9007199254740993', 'cost')).toThrow(/cost: .* outside the safe integer range/);
    expect(() => toSafeInteger(2n ** 60n, 'x')).toThrow(/safe integer/);
    expect(() => toSafeInteger(1.5, 'x')).toThrow(/safe integer/);
    expect(() => toSafeInteger('1.5', 'x')).toThrow(/expected an integer/);
    expect(() => toSafeInteger(null, 'x')).toThrow(/got null/);
  });
});

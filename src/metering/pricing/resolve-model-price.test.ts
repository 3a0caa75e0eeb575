import { describe, expect, it } from 'vitest';
import type { ModelPrice } from './model-price.js';
import { resolveModelPrice } from './resolve-model-price.js';

const entry = (pattern: string, inputPerMTok = '1'): ModelPrice => ({ pattern, inputPerMTok, outputPerMTok: '1' });

describe('resolveModelPrice: order', () => {
  it('prefers an exact pattern to any wildcard, wherever it stands', () => {
    const wildcard = entry('claude-sonnet-4-5*');
    const exact = entry('claude-sonnet-4-5-20250929', '2');
    expect(resolveModelPrice({ model: 'claude-sonnet-4-5-20250929', table: [wildcard, exact] })).toBe(exact);
    expect(resolveModelPrice({ model: 'claude-sonnet-4-5-20250929', table: [exact, wildcard] })).toBe(exact);
    expect(resolveModelPrice({ model: 'claude-sonnet-4-5', table: [exact, wildcard] })).toBe(wildcard);
  });

  it('takes the first matching wildcard in table order', () => {
    const narrow = entry('claude-sonnet-4-5*');
    const broad = entry('claude-*');
    expect(resolveModelPrice({ model: 'claude-sonnet-4-5-20250929', table: [narrow, broad] })).toBe(narrow);
    expect(resolveModelPrice({ model: 'claude-sonnet-4-5-20250929', table: [broad, narrow] })).toBe(broad);
  });

  it('lets operator entries placed before the defaults override them', () => {
    const operator = entry('claude-opus-4-5*', '4');
    const defaults = [entry('claude-opus-4-5*', '5')];
    expect(resolveModelPrice({ model: 'claude-opus-4-5-20251101', table: [operator, ...defaults] })).toBe(operator);
  });

  it('returns undefined when nothing matches, or the table is empty', () => {
    expect(resolveModelPrice({ model: 'claude-opus-4-6', table: [entry('claude-opus-4-5*'), entry('claude-opus-4-5')] })).toBeUndefined();
    expect(resolveModelPrice({ model: 'claude-opus-4-5', table: [] })).toBeUndefined();
  });
});

describe('resolveModelPrice: wildcard matching', () => {
  it.each([
    ['claude-sonnet-4-5*', 'claude-sonnet-4-5', true], // * matches nothing too
    ['claude-sonnet-4-5*', 'claude-sonnet-4-5-20250929', true],
    ['claude-sonnet-4-5*', 'claude-sonnet-4-6', false],
    ['claude-*-haiku*', 'claude-3-5-haiku-20241022', true],
    ['claude-*-haiku*', 'claude-haiku-4-5', false],
    ['*', '', true],
    ['*', 'anything', true],
    ['*-latest', 'claude-3-7-sonnet-latest', true],
    ['a*b*c', 'abc', true],
    ['a*b*c', 'ab', false],
    ['a*a', 'a', false], // prefix and suffix may not overlap
    ['ab*ba', 'aba', false],
    ['a*ab', 'aab', true],
    ['*aba*', 'xabax', true],
    ['a*b*b', 'ab', false], // the middle "b" must come before the suffix "b"
    ['gpt-4.1*', 'gpt-401', false], // "." is literal, not a regex wildcard
    ['claude-sonnet-4-5*', 'Claude-sonnet-4-5', false], // case-sensitive
  ])('%s against %s: %s', (pattern, model, matches) => {
    const price = entry(pattern);
    expect(resolveModelPrice({ model, table: [price] })).toBe(matches ? price : undefined);
  });
});

import { describe, expect, it } from 'vitest';
import { compileModelPattern } from './compile-model-pattern.js';

function matches(pattern: string, model: string) {
  return compileModelPattern(pattern)(model);
}

describe('compileModelPattern', () => {
  it('matches a name without `*` exactly and case-sensitively', () => {
    expect(matches('claude-opus-4-8', 'claude-opus-4-8')).toBe(true);
    expect(matches('claude-opus-4-8', 'claude-opus-4-8-x')).toBe(false);
    expect(matches('claude-opus-4-8', 'x-claude-opus-4-8')).toBe(false);
    expect(matches('claude-opus-4-8', 'Claude-Opus-4-8')).toBe(false);
  });

  it('lets `*` alone match anything, the empty name included', () => {
    expect(matches('*', '')).toBe(true);
    expect(matches('*', 'anything at all')).toBe(true);
  });

  it('lets `*` stand for any run of characters, empty included, anywhere in the pattern', () => {
    expect(matches('claude-*', 'claude-sonnet-5')).toBe(true);
    expect(matches('claude-*', 'claude-')).toBe(true);
    expect(matches('claude-*', 'claude')).toBe(false);
    expect(matches('claude-*', 'my-claude-x')).toBe(false);
    expect(matches('*-haiku-*', 'claude-haiku-4-5-20251001')).toBe(true);
    expect(matches('*-haiku-*', 'claude-sonnet-4-5')).toBe(false);
    expect(matches('*-20250929', 'claude-sonnet-4-5-20250929')).toBe(true);
    expect(matches('*-20250929', 'claude-sonnet-4-5-20250929-x')).toBe(false);
    expect(matches('a**b', 'ab')).toBe(true);
    expect(matches('claude-*-4-*', 'claude-opus-4-8')).toBe(true);
    expect(matches('claude-*-4-*', 'claude-sonnet-5')).toBe(false);
  });

  it('lets `*` cross line breaks, so no name slips past `claude-*` by containing one', () => {
    expect(matches('claude-*', 'claude-a\nb')).toBe(true);
  });

  describe('bad input', () => {
    it('treats regex metacharacters in a pattern as literal characters', () => {
      expect(matches('gpt-4.1*', 'gpt-4.1-mini')).toBe(true);
      expect(matches('gpt-4.1*', 'gpt-4x1-mini')).toBe(false);
      expect(matches('a+b*', 'aab')).toBe(false);
      expect(matches('a+b*', 'a+b')).toBe(true);
      expect(matches('m(1)?[x]{2}|$^\\*', 'm(1)?[x]{2}|$^\\')).toBe(true);
      expect(matches('m(1)?[x]{2}|$^\\*', 'm1xx')).toBe(false);
      expect(matches('claude-opus-4-8[1m]*', 'claude-opus-4-8[1m]')).toBe(true);
      expect(matches('claude-opus-4-8[1m]*', 'claude-opus-4-81')).toBe(false);
    });
  });
});

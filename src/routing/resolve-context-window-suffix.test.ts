import { describe, expect, it } from 'vitest';
import { CONTEXT_1M_BETA, resolveContextWindowSuffix } from './resolve-context-window-suffix.js';

describe('resolveContextWindowSuffix', () => {
  it('strips a trailing [1m] and asks for the 1M-context beta', () => {
    expect(CONTEXT_1M_BETA).toBe('context-1m-2025-08-07');
    expect(resolveContextWindowSuffix('claude-opus-4-8[1m]')).toEqual({
      baseModel: 'claude-opus-4-8',
      betas: ['context-1m-2025-08-07'],
    });
  });

  it('accepts the suffix in any case', () => {
    expect(resolveContextWindowSuffix('claude-sonnet-4-5-20250929[1M]')?.baseModel).toBe('claude-sonnet-4-5-20250929');
  });

  it('returns undefined for a name without the suffix at its very end', () => {
    expect(resolveContextWindowSuffix('claude-opus-4-8')).toBeUndefined();
    expect(resolveContextWindowSuffix('claude-opus-4-8[1m]-x')).toBeUndefined();
    expect(resolveContextWindowSuffix('claude-opus-4-8[2m]')).toBeUndefined();
    expect(resolveContextWindowSuffix('claude-opus-4-8 1m')).toBeUndefined();
  });

  it('strips only one suffix and allows an empty base name (routing then finds nothing)', () => {
    expect(resolveContextWindowSuffix('m[1m][1m]')?.baseModel).toBe('m[1m]');
    expect(resolveContextWindowSuffix('[1m]')?.baseModel).toBe('');
  });
});

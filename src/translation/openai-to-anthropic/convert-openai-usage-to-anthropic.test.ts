import { describe, expect, it } from 'vitest';
import type { OpenAIUsage } from '../../protocol/openai/openai-usage.js';
import { convertOpenAIUsageToAnthropic } from './convert-openai-usage-to-anthropic.js';

const usage = (fields: Record<string, unknown>) => fields as unknown as OpenAIUsage;

describe('convertOpenAIUsageToAnthropic', () => {
  it('returns zeros for missing usage', () => {
    expect(convertOpenAIUsageToAnthropic({ usage: undefined })).toEqual({
      input_tokens: 0,
      output_tokens: 0,
      cache_creation_input_tokens: 0,
      cache_read_input_tokens: 0,
    });
  });

  it('subtracts cache reads and writes, floored at zero', () => {
    expect(
      convertOpenAIUsageToAnthropic({
        usage: usage({ prompt_tokens: 10, completion_tokens: 1, total_tokens: 11, prompt_tokens_details: { cached_tokens: 8, cache_write_tokens: 5 } }),
      }),
    ).toEqual({ input_tokens: 0, output_tokens: 1, cache_creation_input_tokens: 5, cache_read_input_tokens: 8 });
  });

  it('reads DeepSeek\'s prompt_cache_hit_tokens when cached_tokens is missing, and cache_creation_tokens', () => {
    expect(
      convertOpenAIUsageToAnthropic({
        usage: usage({ prompt_tokens: 100, completion_tokens: 1, total_tokens: 101, prompt_cache_hit_tokens: 64, prompt_tokens_details: { cache_creation_tokens: 6 } }),
      }),
    ).toEqual({ input_tokens: 30, output_tokens: 1, cache_creation_input_tokens: 6, cache_read_input_tokens: 64 });
  });

  it('keeps completion_tokens when reasoning is already inside it (OpenAI, DeepSeek)', () => {
    expect(
      convertOpenAIUsageToAnthropic({
        usage: usage({ prompt_tokens: 18, completion_tokens: 345, total_tokens: 363, completion_tokens_details: { reasoning_tokens: 315 } }),
      }).output_tokens,
    ).toBe(345);
  });

  it('adds reasoning when total_tokens shows it outside completion_tokens (xAI)', () => {
    expect(
      convertOpenAIUsageToAnthropic({
        usage: usage({ prompt_tokens: 12, completion_tokens: 2, total_tokens: 354, completion_tokens_details: { reasoning_tokens: 340 } }),
      }).output_tokens,
    ).toBe(342);
  });

  it('ignores garbage numbers', () => {
    expect(convertOpenAIUsageToAnthropic({ usage: usage({ prompt_tokens: 'x', completion_tokens: -3, total_tokens: null }) })).toEqual({
      input_tokens: 0,
      output_tokens: 0,
      cache_creation_input_tokens: 0,
      cache_read_input_tokens: 0,
    });
  });
});

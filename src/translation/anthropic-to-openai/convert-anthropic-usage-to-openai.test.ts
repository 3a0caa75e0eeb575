import { describe, expect, it } from 'vitest';
import { convertAnthropicUsageToOpenAI } from './convert-anthropic-usage-to-openai.js';

describe('convertAnthropicUsageToOpenAI', () => {
  it('counts cache writes and reads into prompt_tokens and breaks them out', () => {
    // prompt-cache-write.sse's final usage.
    expect(
      convertAnthropicUsageToOpenAI({
        usage: {
          input_tokens: 6,
          cache_creation_input_tokens: 3337,
          cache_read_input_tokens: 6289,
          output_tokens: 198,
          output_tokens_details: { thinking_tokens: 0 },
        },
      }),
    ).toEqual({
      prompt_tokens: 9632,
      completion_tokens: 198,
      total_tokens: 9830,
      prompt_tokens_details: { cached_tokens: 6289, cache_write_tokens: 3337 },
      completion_tokens_details: { reasoning_tokens: 0 },
    });
  });

  it('treats missing and null counts as zero and leaves reasoning out when unknown', () => {
    expect(convertAnthropicUsageToOpenAI({ usage: { output_tokens: 5, cache_read_input_tokens: null } })).toEqual({
      prompt_tokens: 0,
      completion_tokens: 5,
      total_tokens: 5,
      prompt_tokens_details: { cached_tokens: 0, cache_write_tokens: 0 },
    });
  });
});

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

  it('reports the sums over compaction iterations, what the request is billed, never less than the top level', () => {
    // compaction.sse's final usage: the top level is the answer alone, iterations add the summary pass.
    const iteration = (input: number, output: number, cacheWrite = 0, cacheRead = 0) => ({ input_tokens: input, output_tokens: output, cache_creation_input_tokens: cacheWrite, cache_read_input_tokens: cacheRead });
    expect(
      convertAnthropicUsageToOpenAI({
        usage: { input_tokens: 612, cache_creation_input_tokens: 0, cache_read_input_tokens: 0, output_tokens: 2819, iterations: [{ ...iteration(60_385, 522), type: 'compaction' }, { ...iteration(612, 2819), type: 'message' }] },
      }),
    ).toEqual({
      prompt_tokens: 60_997,
      completion_tokens: 3341,
      total_tokens: 64_338,
      prompt_tokens_details: { cached_tokens: 0, cache_write_tokens: 0 },
    });
    // Cache counts sum too; a top-level count larger than the sum (iterations cut short) is kept.
    expect(
      convertAnthropicUsageToOpenAI({ usage: { input_tokens: 10, output_tokens: 900, cache_read_input_tokens: 7, iterations: [iteration(4, 3, 2, 1), iteration(6, 4, 5, 6), null, 'x'] } }),
    ).toEqual({
      prompt_tokens: 10 + 7 + 7,
      completion_tokens: 900,
      total_tokens: 924,
      prompt_tokens_details: { cached_tokens: 7, cache_write_tokens: 7 },
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

import type { OpenAIUsage } from '../../protocol/openai/openai-usage.js';

/**
 * The four counts every translated Anthropic usage carries (a type alias, not
 * an interface, so it is assignable to the open `AnthropicUsage`).
 */
export type ConvertedAnthropicUsage = {
  input_tokens: number;
  output_tokens: number;
  cache_creation_input_tokens: number;
  cache_read_input_tokens: number;
};

function count(value: unknown): number {
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? Math.floor(value) : 0;
}

/**
 * Converts OpenAI usage into Anthropic's shape.
 *
 * OpenAI's `prompt_tokens` is the whole prompt, cache included; Anthropic's
 * `input_tokens` is the uncached part only, so the cache reads
 * (`prompt_tokens_details.cached_tokens`, or DeepSeek's
 * `prompt_cache_hit_tokens` when that is missing) and the cache writes
 * (`cache_write_tokens`, or `cache_creation_tokens` from some proxies) are
 * subtracted, floored at 0 for servers whose parts exceed their total.
 *
 * `output_tokens` is `completion_tokens`, which for OpenAI and DeepSeek
 * includes reasoning. xAI is the exception: its `completion_tokens` leaves
 * reasoning out and its `total_tokens` adds it back (recorded: prompt 12,
 * completion 2, reasoning 340, total 354). When the total shows that, the
 * reasoning tokens are added, because Anthropic's `output_tokens` includes
 * thinking and billing from it would otherwise miss almost all of the output.
 * @see ../../../../shared/protocol/anthropic-protocol.md §7.7
 */
export function convertOpenAIUsageToAnthropic(options: { usage: OpenAIUsage | null | undefined }): ConvertedAnthropicUsage {
  const usage = options.usage;
  if (usage === null || usage === undefined || typeof usage !== 'object') {
    return { input_tokens: 0, output_tokens: 0, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 };
  }
  const promptDetails = usage.prompt_tokens_details ?? undefined;
  const prompt = count(usage.prompt_tokens);
  const completion = count(usage.completion_tokens);
  const cacheRead = count(promptDetails?.cached_tokens ?? usage.prompt_cache_hit_tokens);
  const cacheWrite = count(promptDetails?.cache_write_tokens ?? promptDetails?.cache_creation_tokens);
  const reasoning = count(usage.completion_tokens_details?.reasoning_tokens);
  const total = count(usage.total_tokens);
  const reasoningOutsideCompletion = reasoning > 0 && total === prompt + completion + reasoning;
  return {
    input_tokens: Math.max(prompt - cacheRead - cacheWrite, 0),
    output_tokens: reasoningOutsideCompletion ? completion + reasoning : completion,
    cache_creation_input_tokens: cacheWrite,
    cache_read_input_tokens: cacheRead,
  };
}

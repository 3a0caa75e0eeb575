/**
 * The `usage` object of a completion, or of the last chunk of a stream that
 * asked for `stream_options.include_usage`.
 *
 * `prompt_tokens` is the WHOLE prompt, cached tokens included (unlike
 * Anthropic's `input_tokens`, which excludes cache reads and writes).
 *
 * @see openai/openai-node src/resources/completions.ts (`CompletionUsage`)
 */
export interface OpenAIUsage {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
  prompt_tokens_details?: {
    /** Part of `prompt_tokens` read from the prompt cache. */
    cached_tokens?: number;
    /** Part of `prompt_tokens` written to the prompt cache (not reported by OpenAI itself). */
    cache_write_tokens?: number;
    audio_tokens?: number;
    [field: string]: unknown;
  } | null;
  completion_tokens_details?: {
    /** Part of `completion_tokens` spent on reasoning. */
    reasoning_tokens?: number;
    audio_tokens?: number;
    accepted_prediction_tokens?: number;
    rejected_prediction_tokens?: number;
    [field: string]: unknown;
  } | null;
  /**
   * DeepSeek's cache split of `prompt_tokens` (hit + miss = prompt_tokens).
   * @see https://api-docs.deepseek.com/guides/kv_cache
   */
  prompt_cache_hit_tokens?: number;
  prompt_cache_miss_tokens?: number;
  [field: string]: unknown;
}

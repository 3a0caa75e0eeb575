import type { AnthropicUsage } from '../../protocol/anthropic/anthropic-usage.js';
import type { OpenAIUsage } from '../../protocol/openai/openai-usage.js';

function count(value: unknown): number {
  return typeof value === 'number' && Number.isFinite(value) ? value : 0;
}

/**
 * Translates Anthropic usage into OpenAI usage.
 *
 * `prompt_tokens` is the whole prompt: uncached input + cache writes + cache
 * reads. Anthropic's `input_tokens` excludes both cache parts while OpenAI's
 * `prompt_tokens` includes cached tokens, so leaving cache writes out (as an
 * older LiteLLM did) would under-report the prompt by everything written to
 * the cache. The parts are broken out in `prompt_tokens_details`
 * (`cached_tokens` = reads, `cache_write_tokens` = writes), so a client can
 * still price them.
 *
 * `completion_tokens_details.reasoning_tokens` comes from
 * `output_tokens_details.thinking_tokens`, present only on newer responses.
 *
 * Compaction responses also list per-iteration usage in `iterations`; the
 * top-level totals are translated as they are.
 *
 * @see ../../../../shared/protocol/anthropic-protocol.md §2.4, §7.7
 */
export function convertAnthropicUsageToOpenAI(options: { usage: AnthropicUsage }): OpenAIUsage {
  const { usage } = options;
  const cacheWrite = count(usage.cache_creation_input_tokens);
  const cacheRead = count(usage.cache_read_input_tokens);
  const promptTokens = count(usage.input_tokens) + cacheWrite + cacheRead;
  const completionTokens = count(usage.output_tokens);
  const converted: OpenAIUsage = {
    prompt_tokens: promptTokens,
    completion_tokens: completionTokens,
    total_tokens: promptTokens + completionTokens,
    prompt_tokens_details: { cached_tokens: cacheRead, cache_write_tokens: cacheWrite },
  };
  const details = usage.output_tokens_details;
  if (typeof details === 'object' && details !== null) {
    const thinkingTokens = (details as { thinking_tokens?: unknown }).thinking_tokens;
    if (typeof thinkingTokens === 'number') converted.completion_tokens_details = { reasoning_tokens: thinkingTokens };
  }
  return converted;
}

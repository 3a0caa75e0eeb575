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
 * Compaction (beta) samples twice in one request, a summary of the
 * conversation and then the answer, and both are billed; the top-level counts
 * are the answer's alone and `iterations` lists each sampling. OpenAI's usage
 * is what the request cost, so each count here is the sum over `iterations`
 * (never less than the top-level one), as the ledger charges it.
 *
 * @see ../../../../shared/protocol/anthropic-protocol.md §2.4, §7.7
 */
export function convertAnthropicUsageToOpenAI(options: { usage: AnthropicUsage }): OpenAIUsage {
  const { usage } = options;
  const iterations = Array.isArray(usage.iterations) ? usage.iterations.filter((iteration): iteration is AnthropicUsage => typeof iteration === 'object' && iteration !== null) : [];
  const total = (field: 'input_tokens' | 'output_tokens' | 'cache_creation_input_tokens' | 'cache_read_input_tokens'): number => {
    const topLevel = count(usage[field]);
    if (iterations.length === 0) return topLevel;
    let sum = 0;
    for (const iteration of iterations) sum += count(iteration[field]);
    return Math.max(sum, topLevel);
  };
  const cacheWrite = total('cache_creation_input_tokens');
  const cacheRead = total('cache_read_input_tokens');
  const promptTokens = total('input_tokens') + cacheWrite + cacheRead;
  const completionTokens = total('output_tokens');
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

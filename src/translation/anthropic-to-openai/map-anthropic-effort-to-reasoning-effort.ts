import type { AnthropicOutputConfig } from '../../protocol/anthropic/anthropic-output-config.js';

/**
 * Maps Anthropic's `output_config.effort` (used with adaptive thinking) to an
 * OpenAI-style effort.
 *
 * `xhigh` and `max` become `high`: OpenAI accepts `xhigh` only on its newest
 * models and xAI's grok-3-mini only `low`/`high`, so anything above `high`
 * risks a 400 for a small gain. Without an effort the result is `medium`, as
 * in LiteLLM: an OpenAI reasoning model at `high` can spend many times the
 * tokens and latency of the Claude request it stands in for.
 *
 * @see BerriAI/litellm litellm/llms/anthropic/experimental_pass_through/adapters/transformation.py
 */
export function mapAnthropicEffortToReasoningEffort(
  effort: AnthropicOutputConfig['effort'] | undefined,
): 'low' | 'medium' | 'high' {
  switch (effort) {
    case 'low':
      return 'low';
    case 'high':
    case 'xhigh':
    case 'max':
      return 'high';
    default:
      return 'medium';
  }
}

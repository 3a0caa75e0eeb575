import type { OpenAIUsage } from '../protocol/openai/openai-usage.js';
import { createEmptyUsage, type Usage } from './usage.js';

/** The ledger's token columns are 32-bit integers; no real request comes near. */
const MAX_COUNT = 2_147_483_647;

function count(value: unknown): number {
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? Math.min(Math.round(value), MAX_COUNT) : 0;
}

/**
 * An OpenAI-style usage object in mixroute's terms. OpenAI's `prompt_tokens`
 * includes cached tokens while `Usage.inputTokens` (like Anthropic's
 * `input_tokens`) does not, so cache reads (`cached_tokens`, or DeepSeek's
 * `prompt_cache_hit_tokens`) and cache writes (`cache_write_tokens`, where an
 * upstream reports them) are taken out of the input. Cache writes have no TTL
 * on these upstreams and are counted as five-minute writes.
 *
 * Output: OpenAI and DeepSeek count reasoning inside `completion_tokens`;
 * xAI leaves it out and only `total_tokens` includes it (recorded: prompt 12,
 * completion 2, reasoning 340, total 354). Reasoning is billed as output, so
 * output is whichever is larger: `completion_tokens` or total minus prompt.
 * @see ../../../shared/protocol/anthropic-protocol.md §7.7
 */
export function convertOpenAIUsage(usage: OpenAIUsage): Usage {
  const details = usage.prompt_tokens_details ?? undefined;
  const cacheRead = count(details?.cached_tokens ?? usage.prompt_cache_hit_tokens);
  const cacheWrite = count(details?.cache_write_tokens);
  return {
    ...createEmptyUsage(),
    inputTokens: Math.max(count(usage.prompt_tokens) - cacheRead - cacheWrite, 0),
    outputTokens: Math.max(count(usage.completion_tokens), count(usage.total_tokens) - count(usage.prompt_tokens)),
    cacheWrite5mTokens: cacheWrite,
    cacheReadTokens: cacheRead,
  };
}

import type { AnthropicStopReason } from '../../protocol/anthropic/anthropic-stop-reason.js';
import type { OpenAIFinishReason } from '../../protocol/openai/openai-finish-reason.js';

/**
 * Maps an Anthropic `stop_reason` to an OpenAI `finish_reason`.
 *
 * - `end_turn`, `stop_sequence` → `stop` (OpenAI does not say which stop matched either).
 * - `max_tokens`, `model_context_window_exceeded`, `compaction` → `length`:
 *   all three mean a token limit cut the turn short.
 * - `tool_use` → `tool_calls`; `refusal` → `content_filter`.
 * - `pause_turn`, null and values added later → `stop`, LiteLLM's default:
 *   a client reading `stop` treats the turn as complete, the least harmful guess.
 *
 * @see ../../../../shared/protocol/anthropic-protocol.md §7.6
 * @see BerriAI/litellm litellm/litellm_core_utils/core_helpers.py (`map_finish_reason`)
 */
export function mapStopReasonToFinishReason(stopReason: AnthropicStopReason | (string & {}) | null | undefined): OpenAIFinishReason {
  switch (stopReason) {
    case 'max_tokens':
    case 'model_context_window_exceeded':
    case 'compaction':
      return 'length';
    case 'tool_use':
      return 'tool_calls';
    case 'refusal':
      return 'content_filter';
    default:
      return 'stop';
  }
}

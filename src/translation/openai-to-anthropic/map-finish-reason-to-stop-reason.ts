import type { AnthropicStopReason } from '../../protocol/anthropic/anthropic-stop-reason.js';

/**
 * Maps an OpenAI `finish_reason` to an Anthropic `stop_reason`.
 *
 * - `stop` is `end_turn`, unless tool calls were emitted: some servers say
 *   `stop` after tool calls, and an Anthropic client only runs tools on
 *   `tool_use`.
 * - `content_filter` is `refusal` (LiteLLM falls back to `end_turn`; `refusal`
 *   lets a client such as Claude Code tell the user why the answer stopped).
 * - null and unknown values are `end_turn` (or `tool_use` after tool calls).
 *
 * OpenAI never says which stop sequence matched, so `stop_sequence` only comes
 * from servers that report the match (see `resolveMatchedStopSequence`).
 * @see ../../../../shared/protocol/anthropic-protocol.md §7.6
 */
export function mapFinishReasonToStopReason(options: {
  finishReason: string | null | undefined;
  sawToolCalls: boolean;
  /** The stop sequence the upstream reported as matched, if any. */
  matchedStopSequence?: string | undefined;
}): AnthropicStopReason {
  switch (options.finishReason) {
    case 'length':
      return 'max_tokens';
    case 'tool_calls':
    case 'function_call':
      return 'tool_use';
    case 'content_filter':
      return 'refusal';
    default:
      if (options.sawToolCalls) return 'tool_use';
      if (options.finishReason === 'stop' && options.matchedStopSequence !== undefined) return 'stop_sequence';
      return 'end_turn';
  }
}

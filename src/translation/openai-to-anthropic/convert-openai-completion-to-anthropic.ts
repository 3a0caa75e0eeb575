import type { AnthropicContentBlock } from '../../protocol/anthropic/anthropic-content-block.js';
import type { AnthropicMessage } from '../../protocol/anthropic/anthropic-message.js';
import type { OpenAIChatCompletion } from '../../protocol/openai/openai-chat-completion.js';
import type { ToolNameMap } from '../tool-name/tool-name-map.js';
import { convertCompletionIdToMessageId } from './convert-completion-id-to-message-id.js';
import { convertOpenAIUsageToAnthropic } from './convert-openai-usage-to-anthropic.js';
import { convertToolCallIdToToolUseId } from './convert-tool-call-id-to-tool-use-id.js';
import { mapFinishReasonToStopReason } from './map-finish-reason-to-stop-reason.js';
import { parseToolInput } from './parse-tool-input.js';
import { resolveMatchedStopSequence } from './resolve-matched-stop-sequence.js';

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Converts a non-streaming Chat Completions response from an OpenAI-compatible
 * upstream into an Anthropic Message (serving `/v1/messages`).
 *
 * Content, in the order the model produced it:
 * 1. `thinking` from `reasoning_content` ?? `reasoning`, with `signature: ""`.
 *    There is no signature to give. An empty string keeps the block's shape
 *    (the SDK types require the field) and marks it as unsigned: a real
 *    Anthropic signature is never empty. Replayed to an OpenAI-compatible
 *    upstream it becomes `reasoning_content` again; replayed to a real
 *    Anthropic upstream it would be rejected (invalid signature), so a route
 *    that sends such history to Anthropic must strip thinking blocks whose
 *    signature is "".
 * 2. `text` from `content` (skipped when empty), then `refusal` as text
 *    (it is what the model said; Anthropic has no refusal block).
 * 3. `tool_use` per tool call (and legacy `function_call`): name mapped back
 *    with `toolNames.toClient`, input parsed, id made Anthropic-valid.
 *
 * Only the first choice is read: the request asked for one (Anthropic has no
 * `n`).
 * @see ../../../../shared/protocol/anthropic-protocol.md §7.3, §7.6, §7.7
 */
export function convertOpenAICompletionToAnthropic(options: {
  completion: OpenAIChatCompletion;
  toolNames: ToolNameMap;
  /** The client's `stop_sequences`, to recognize a match the upstream reports. */
  stopSequences?: string[];
  /** The model name to report; defaults to the upstream's `model`. */
  model?: string;
}): AnthropicMessage {
  const { completion, toolNames, stopSequences } = options;
  const messageId = convertCompletionIdToMessageId(completion.id);
  const choice = Array.isArray(completion.choices) ? completion.choices.find((c) => c.index === 0) ?? completion.choices[0] : undefined;
  const message = choice?.message;
  const content: AnthropicContentBlock[] = [];

  if (message !== undefined) {
    const reasoning = [message.reasoning_content, message.reasoning].find((value) => typeof value === 'string' && value !== '');
    if (reasoning !== undefined && reasoning !== null) content.push({ type: 'thinking', thinking: reasoning, signature: '' });
    if (typeof message.content === 'string' && message.content !== '') content.push({ type: 'text', text: message.content });
    if (typeof message.refusal === 'string' && message.refusal !== '') content.push({ type: 'text', text: message.refusal });
    const calls = [...(message.tool_calls ?? [])];
    if (isRecord(message.function_call)) calls.push({ id: '', type: 'function', function: message.function_call });
    calls.forEach((call, position) => {
      const id = typeof call.id === 'string' && call.id !== '' ? call.id : `toolu_${messageId.slice(4)}_${position}`;
      content.push({
        type: 'tool_use',
        id: convertToolCallIdToToolUseId(id),
        name: toolNames.toClient(call.function?.name ?? ''),
        input: parseToolInput(call.function?.arguments),
      });
    });
  }

  const matchedStopSequence = resolveMatchedStopSequence({ choice, stopSequences });
  const stopReason = mapFinishReasonToStopReason({
    finishReason: choice?.finish_reason,
    sawToolCalls: content.some((block) => block.type === 'tool_use'),
    matchedStopSequence,
  });
  return {
    id: messageId,
    type: 'message',
    role: 'assistant',
    model: options.model ?? completion.model,
    content,
    stop_reason: stopReason,
    stop_sequence: stopReason === 'stop_sequence' ? (matchedStopSequence ?? null) : null,
    usage: convertOpenAIUsageToAnthropic({ usage: completion.usage }),
  };
}

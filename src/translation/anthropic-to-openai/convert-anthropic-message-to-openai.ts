import type { AnthropicMessage } from '../../protocol/anthropic/anthropic-message.js';
import type { OpenAIChatCompletion, OpenAIChatCompletionMessage } from '../../protocol/openai/openai-chat-completion.js';
import type { OpenAIToolCall } from '../../protocol/openai/openai-tool-call.js';
import { convertAnthropicUsageToOpenAI } from './convert-anthropic-usage-to-openai.js';
import { mapStopReasonToFinishReason } from './map-stop-reason-to-finish-reason.js';

/**
 * Translates a non-streaming Anthropic message into a Chat Completions
 * response for an OpenAI client.
 *
 * - text blocks → `content`, joined with nothing between them (a cited answer
 *   is many text blocks of one text); null when there is none.
 * - tool_use → `tool_calls` with `arguments: JSON.stringify(input)`. Names are
 *   not mapped: the client is the OpenAI side, so the names the Anthropic
 *   upstream saw were the client's own.
 * - thinking → `reasoning_content`, the field DeepSeek made common.
 * - redacted_thinking, server-tool blocks and citations have no OpenAI form
 *   and are left out; the answer text still carries what they produced.
 *
 * `id` defaults to the Anthropic message id, which keeps the response
 * traceable to the upstream's logs.
 *
 * @see ../../../../shared/protocol/anthropic-protocol.md §7.3, §7.6, §7.7
 */
export function convertAnthropicMessageToOpenAI(options: {
  message: AnthropicMessage;
  /** Unix seconds. */
  created: number;
  id?: string;
  /** The model name to report; defaults to the upstream's. */
  model?: string;
}): OpenAIChatCompletion {
  const { message } = options;
  const texts: string[] = [];
  const thinking: string[] = [];
  const toolCalls: OpenAIToolCall[] = [];
  for (const block of message.content) {
    switch (block.type) {
      case 'text':
        texts.push(block.text);
        break;
      case 'thinking':
        thinking.push(block.thinking);
        break;
      case 'tool_use':
        toolCalls.push({
          id: block.id,
          type: 'function',
          function: { name: block.name, arguments: JSON.stringify(block.input ?? {}) },
        });
        break;
      default:
        break;
    }
  }
  const choiceMessage: OpenAIChatCompletionMessage = {
    role: 'assistant',
    content: texts.length > 0 ? texts.join('') : null,
  };
  if (thinking.length > 0) choiceMessage.reasoning_content = thinking.join('');
  if (toolCalls.length > 0) choiceMessage.tool_calls = toolCalls;
  return {
    id: options.id ?? message.id,
    object: 'chat.completion',
    created: options.created,
    model: options.model ?? message.model,
    choices: [{ index: 0, message: choiceMessage, finish_reason: mapStopReasonToFinishReason(message.stop_reason), logprobs: null }],
    usage: convertAnthropicUsageToOpenAI({ usage: message.usage }),
  };
}

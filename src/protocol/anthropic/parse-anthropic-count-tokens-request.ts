import { GatewayError } from '../../errors/gateway-error.js';
import type { AnthropicMessagesRequest } from './anthropic-messages-request.js';

function invalid(message: string) {
  return new GatewayError({ status: 400, type: 'invalid_request_error', message });
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Checks the shape of a count_tokens body that mixroute counts itself (the channel has no
 * count_tokens endpoint), so a body Anthropic would refuse gets a 400 naming the field instead
 * of a wrong count or a 500: `messages` a list of `{role, content}`, content a string or a list
 * of blocks with a `type`, `system` a string or a list of text blocks, `tools` a list of
 * objects. Only the structure the count walks is checked; unknown block types and fields pass.
 * Field paths and wording follow Anthropic's (`messages.0.content: …`).
 * @see https://platform.claude.com/docs/en/api/messages-count-tokens
 */
export function parseAnthropicCountTokensRequest(fields: Readonly<Record<string, unknown>>): AnthropicMessagesRequest {
  const { messages, system, tools } = fields;
  if (messages === undefined) throw invalid('messages: Field required');
  if (!Array.isArray(messages)) throw invalid('messages: Input should be a valid list');
  messages.forEach((message: unknown, index) => {
    const path = `messages.${index}`;
    if (!isObject(message)) throw invalid(`${path}: Input should be a valid dictionary`);
    if (message.role !== 'user' && message.role !== 'assistant') throw invalid(`${path}.role: Input should be 'user' or 'assistant'`);
    if (message.content === undefined) throw invalid(`${path}.content: Field required`);
    checkContent(message.content, `${path}.content`);
  });
  if (system !== undefined && system !== null && typeof system !== 'string') {
    if (!Array.isArray(system)) throw invalid('system: Input should be a valid string or a list of text blocks');
    system.forEach((block: unknown, index) => {
      if (!isObject(block)) throw invalid(`system.${index}: Input should be a valid dictionary`);
      if (block.type !== 'text') throw invalid(`system.${index}.type: Input should be 'text'`);
      if (typeof block.text !== 'string') throw invalid(`system.${index}.text: Input should be a valid string`);
    });
  }
  if (tools !== undefined && tools !== null) {
    if (!Array.isArray(tools)) throw invalid('tools: Input should be a valid list');
    tools.forEach((tool: unknown, index) => {
      if (!isObject(tool)) throw invalid(`tools.${index}: Input should be a valid dictionary`);
    });
  }
  return fields as unknown as AnthropicMessagesRequest;
}

/** A message's (or a tool result's) content: a string, or a list of blocks each with a type. */
function checkContent(content: unknown, path: string): void {
  if (typeof content === 'string') return;
  if (!Array.isArray(content)) throw invalid(`${path}: Input should be a valid string or a list of content blocks`);
  content.forEach((block: unknown, index) => {
    const blockPath = `${path}.${index}`;
    if (!isObject(block)) throw invalid(`${blockPath}: Input should be a valid dictionary`);
    if (block.type === undefined) throw invalid(`${blockPath}.type: Field required`);
    if (typeof block.type !== 'string') throw invalid(`${blockPath}.type: Input should be a valid string`);
    if (block.type === 'text' && typeof block.text !== 'string') throw invalid(`${blockPath}.text: Input should be a valid string`);
    if (block.type === 'tool_result' && block.content !== undefined && block.content !== null) checkContent(block.content, `${blockPath}.content`);
    if (block.type === 'document') {
      if (!isObject(block.source)) throw invalid(`${blockPath}.source: Input should be a valid dictionary`);
      if (block.source.type === 'content') checkContent(block.source.content, `${blockPath}.source.content`);
    }
  });
}

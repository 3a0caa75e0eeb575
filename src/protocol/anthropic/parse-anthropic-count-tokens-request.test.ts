import { describe, expect, it } from 'vitest';
import { GatewayError } from '../../errors/gateway-error.js';
import { parseAnthropicCountTokensRequest } from './parse-anthropic-count-tokens-request.js';

const model = 'gpt-4.1-nano';

function refusal(fields: Record<string, unknown>): GatewayError {
  try {
    parseAnthropicCountTokensRequest({ model, ...fields });
  } catch (error) {
    expect(error).toBeInstanceOf(GatewayError);
    return error as GatewayError;
  }
  throw new Error('expected a refusal');
}

describe('parseAnthropicCountTokensRequest', () => {
  it('accepts what the Messages API accepts, and returns the same object', () => {
    const fields = {
      model,
      system: [{ type: 'text', text: 'Be brief.', cache_control: { type: 'ephemeral' } }],
      messages: [
        { role: 'user', content: 'hi' },
        { role: 'assistant', content: [{ type: 'thinking', thinking: '…', signature: 's' }, { type: 'tool_use', id: 't1', name: 'f', input: {} }] },
        {
          role: 'user',
          content: [
            { type: 'tool_result', tool_use_id: 't1', content: [{ type: 'text', text: 'ok' }] },
            { type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'AA==' } },
            { type: 'document', source: { type: 'content', content: [{ type: 'text', text: 'doc' }] } },
            { type: 'some_future_block', anything: 1 },
          ],
        },
      ],
      tools: [{ name: 'f', input_schema: { type: 'object' } }, { type: 'web_search_20250305', name: 'web_search' }],
      unknown_field: true,
    };
    expect(parseAnthropicCountTokensRequest(fields)).toBe(fields);
    expect(() => parseAnthropicCountTokensRequest({ model, system: 'Be brief.', messages: [], tools: null })).not.toThrow();
  });

  it.each<[string, Record<string, unknown>, string]>([
    ['no messages', {}, 'messages: Field required'],
    ['messages as a string', { messages: 'hi' }, 'messages: Input should be a valid list'],
    ['messages as an object', { messages: { role: 'user' } }, 'messages: Input should be a valid list'],
    ['a null message', { messages: [null] }, 'messages.0: Input should be a valid dictionary'],
    ['an unknown role', { messages: [{ role: 'system', content: 'x' }] }, "messages.0.role: Input should be 'user' or 'assistant'"],
    ['no content', { messages: [{ role: 'user' }] }, 'messages.0.content: Field required'],
    ['numeric content', { messages: [{ role: 'user', content: 5 }] }, 'messages.0.content: Input should be a valid string or a list of content blocks'],
    ['a string block', { messages: [{ role: 'user', content: ['hi'] }] }, 'messages.0.content.0: Input should be a valid dictionary'],
    ['a block without type', { messages: [{ role: 'user', content: [{ text: 'hi' }] }] }, 'messages.0.content.0.type: Field required'],
    ['a numeric block type', { messages: [{ role: 'user', content: [{ type: 1 }] }] }, 'messages.0.content.0.type: Input should be a valid string'],
    ['a text block without text', { messages: [{ role: 'user', content: [{ type: 'text', text: 7 }] }] }, 'messages.0.content.0.text: Input should be a valid string'],
    [
      'bad tool_result content',
      { messages: [{ role: 'user', content: 'a' }, { role: 'user', content: [{ type: 'tool_result', tool_use_id: 't', content: 5 }] }] },
      'messages.1.content.0.content: Input should be a valid string or a list of content blocks',
    ],
    ['a document without source', { messages: [{ role: 'user', content: [{ type: 'document', source: 'x' }] }] }, 'messages.0.content.0.source: Input should be a valid dictionary'],
    ['numeric system', { messages: [], system: 7 }, 'system: Input should be a valid string or a list of text blocks'],
    ['a system block of another type', { messages: [], system: [{ type: 'image' }] }, "system.0.type: Input should be 'text'"],
    ['a system block without text', { messages: [], system: [{ type: 'text' }] }, 'system.0.text: Input should be a valid string'],
    ['tools as a string', { messages: [], tools: 'x' }, 'tools: Input should be a valid list'],
    ['a tool that is not an object', { messages: [], tools: [[]] }, 'tools.0: Input should be a valid dictionary'],
  ])('refuses %s with 400 invalid_request_error', (_case, fields, message) => {
    const error = refusal(fields);
    expect(error).toMatchObject({ status: 400, type: 'invalid_request_error', message });
  });
});

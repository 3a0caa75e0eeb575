import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { AnthropicMessagesRequest } from '../../protocol/anthropic/anthropic-messages-request.js';
import type { OpenAIChatCompletionRequest } from '../../protocol/openai/openai-chat-completion-request.js';
import { convertAnthropicRequestToOpenAI } from '../../translation/anthropic-to-openai/convert-anthropic-request-to-openai.js';
import { createToolNameMap } from '../../translation/tool-name/create-tool-name-map.js';
import { resolveAnthropicRequestNeeds } from './resolve-anthropic-request-needs.js';
import { resolveOpenAIRequestNeeds } from './resolve-openai-request-needs.js';

const seed = (name: string): AnthropicMessagesRequest =>
  JSON.parse(readFileSync(new URL(`../../../test/fixtures/anthropic/request/${name}.json`, import.meta.url), 'utf8'));
const claudeCode = (name: string): Array<{ body: AnthropicMessagesRequest }> =>
  JSON.parse(readFileSync(new URL(`../../../test/fixtures/claude-code/${name}.json`, import.meta.url), 'utf8'));

/** The recorded Anthropic request as an OpenAI client would have sent it. */
function toOpenAI(request: AnthropicMessagesRequest): OpenAIChatCompletionRequest {
  return convertAnthropicRequestToOpenAI({
    request,
    upstreamModel: 'gpt-5',
    toolNames: createToolNameMap((request.tools ?? []).map((tool) => tool.name)),
    reasoning: 'reasoning_effort',
    maxTokensField: 'max_completion_tokens',
  }).request;
}

const nothing = { thinking: false, tools: false, images: false, documents: false, serverTools: [], betas: [] };
const user = (content: OpenAIChatCompletionRequest['messages'][number]['content']): OpenAIChatCompletionRequest => ({
  model: 'gpt-5',
  messages: [{ role: 'user', content } as OpenAIChatCompletionRequest['messages'][number]],
});

describe('resolveOpenAIRequestNeeds', () => {
  it('needs nothing for a plain text request', () => {
    expect(resolveOpenAIRequestNeeds({ request: user('Briefly explain artificial intelligence') })).toEqual(nothing);
  });

  it.each([
    ['seed-basic', nothing],
    ['seed-thinking', { ...nothing, thinking: true }],
    ['seed-image-png', { ...nothing, images: true }],
    ['seed-tools', { ...nothing, tools: true }],
    ['tool-result-turn', { ...nothing, tools: true }],
  ])('reads the OpenAI translation of %s as needing what the original needs', (name, expected) => {
    const original = seed(name);
    expect(resolveOpenAIRequestNeeds({ request: toOpenAI(original) })).toEqual(expected);
    expect(resolveAnthropicRequestNeeds({ request: original, betaHeader: undefined })).toEqual(expected);
  });

  it("reads Claude Code's tool round trip, translated, as needing tools and thinking", () => {
    const [first, second] = claudeCode('tool-round-trip');
    expect(resolveOpenAIRequestNeeds({ request: toOpenAI(first!.body) })).toEqual({ ...nothing, tools: true, thinking: true });
    expect(resolveOpenAIRequestNeeds({ request: toOpenAI(second!.body) })).toEqual({ ...nothing, tools: true, thinking: true });
  });

  it.each([
    [{ reasoning_effort: 'low' }, true],
    [{ reasoning_effort: 'xhigh' }, true],
    [{ reasoning_effort: 'minimal' }, false],
    [{ reasoning_effort: 'none' }, false],
    [{ reasoning_effort: null }, false],
    [{ reasoning: { effort: 'high' } }, true],
    [{ reasoning: { max_tokens: 2000 } }, true],
    [{ reasoning: { enabled: true } }, true],
    [{ reasoning: { enabled: false, effort: 'high' } }, false],
    [{ thinking: { type: 'enabled' } }, true],
    [{ thinking: { type: 'disabled' }, reasoning_effort: 'high' }, false],
    [{ reasoning_effort: 'turbo' }, false],
  ] as Array<[Partial<OpenAIChatCompletionRequest>, boolean]>)('reads %j as thinking: %s', (fields, thinking) => {
    expect(resolveOpenAIRequestNeeds({ request: { ...user('Think.'), ...fields } }).thinking).toBe(thinking);
  });

  it('needs documents for a file part', () => {
    const request = user([
      { type: 'file', file: { filename: 'report.pdf', file_data: 'data:application/pdf;base64,JVBERi0=' } },
      { type: 'text', text: 'Summarize this.' },
    ]);
    expect(resolveOpenAIRequestNeeds({ request })).toEqual({ ...nothing, documents: true });
  });

  it('needs tools for legacy functions and for tool or function history without declared tools', () => {
    expect(
      resolveOpenAIRequestNeeds({ request: { ...user('Weather?'), functions: [{ name: 'get_weather' }] } }).tools,
    ).toBe(true);
    const history: OpenAIChatCompletionRequest = {
      model: 'gpt-5',
      messages: [
        { role: 'user', content: 'Weather in Tokyo?' },
        { role: 'assistant', content: null, tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '{}' } }] },
        { role: 'tool', tool_call_id: 'call_1', content: '15 degrees' },
      ],
    };
    expect(resolveOpenAIRequestNeeds({ request: history })).toEqual({ ...nothing, tools: true });
    const legacy: OpenAIChatCompletionRequest = {
      model: 'gpt-5',
      messages: [{ role: 'function', name: 'get_weather', content: '15 degrees' }],
    };
    expect(resolveOpenAIRequestNeeds({ request: legacy }).tools).toBe(true);
  });

  it('does not need tools for an empty tools list', () => {
    expect(resolveOpenAIRequestNeeds({ request: { ...user('Hi'), tools: [] } })).toEqual(nothing);
  });

  it('does not throw on malformed messages', () => {
    const request = { model: 'gpt-5', messages: [null, { role: 'user', content: [null, { type: 'image_url' }] }] } as unknown as OpenAIChatCompletionRequest;
    expect(resolveOpenAIRequestNeeds({ request })).toEqual({ ...nothing, images: true });
    const noMessages = { model: 'gpt-5' } as unknown as OpenAIChatCompletionRequest;
    expect(resolveOpenAIRequestNeeds({ request: noMessages })).toEqual(nothing);
  });
});

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { OpenAIChatCompletion } from '../../protocol/openai/openai-chat-completion.js';
import type { ToolNameMap } from '../tool-name/tool-name-map.js';
import { convertOpenAICompletionToAnthropic } from './convert-openai-completion-to-anthropic.js';

const RESPONSES = new URL('../../../test/fixtures/openai/response/', import.meta.url);
const identityNames: ToolNameMap = { toUpstream: (name) => name, toClient: (name) => name };

function readCompletion(name: string): OpenAIChatCompletion {
  return JSON.parse(readFileSync(new URL(name, RESPONSES), 'utf8')) as OpenAIChatCompletion;
}

function convert(name: string, toolNames: ToolNameMap = identityNames) {
  const completion = readCompletion(name);
  return { completion, message: convertOpenAICompletionToAnthropic({ completion, toolNames }) };
}

describe('convertOpenAICompletionToAnthropic with recorded responses', () => {
  it('text.json (OpenAI): one text block, end_turn, 16 in / 363 out', () => {
    const { completion, message } = convert('text.json');
    expect(message).toEqual({
      id: 'msg_chatcmpl-D8Z5f52zQqikDBEKQMQoYcWMcWPeU',
      type: 'message',
      role: 'assistant',
      model: 'gpt-4.1-nano-2025-04-14',
      content: [{ type: 'text', text: completion.choices[0]!.message.content }],
      stop_reason: 'end_turn',
      stop_sequence: null,
      usage: { input_tokens: 16, output_tokens: 363, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 },
    });
  });

  it('deepseek-text.json: finish_reason length is max_tokens; 13 in / 300 out', () => {
    const { message } = convert('deepseek-text.json');
    expect(message.id).toBe('msg_00f10ecd-60b3-4707-b5db-e4bcadf7aea1');
    expect(message.content.map((block) => block.type)).toEqual(['text']);
    expect(message.stop_reason).toBe('max_tokens');
    expect(message.usage).toEqual({ input_tokens: 13, output_tokens: 300, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 });
  });

  it('deepseek-reasoning.json: unsigned thinking first, then text; 18 in / 345 out (reasoning included)', () => {
    const { completion, message } = convert('deepseek-reasoning.json');
    const source = completion.choices[0]!.message;
    expect(message.content).toEqual([
      { type: 'thinking', thinking: source.reasoning_content, signature: '' },
      { type: 'text', text: source.content },
    ]);
    expect(message.stop_reason).toBe('end_turn');
    expect(message.usage).toEqual({ input_tokens: 18, output_tokens: 345, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 });
  });

  it('deepseek-tool-call.json: empty content skipped, tool_use with parsed input; 339 prompt − 320 cached = 19 in', () => {
    const { completion, message } = convert('deepseek-tool-call.json');
    expect(message.content).toEqual([
      { type: 'thinking', thinking: completion.choices[0]!.message.reasoning_content, signature: '' },
      { type: 'tool_use', id: 'call_00_9V0vrf86Pc9aelHCJMZqnJBo', name: 'weather', input: { location: 'San Francisco' } },
    ]);
    expect(message.stop_reason).toBe('tool_use');
    expect(message.usage).toEqual({ input_tokens: 19, output_tokens: 92, cache_creation_input_tokens: 0, cache_read_input_tokens: 320 });
  });

  it('xai-text.json: xAI leaves reasoning out of completion_tokens, so output = 2 + 320; input 12 − 2 cached = 10', () => {
    const { message } = convert('xai-text.json');
    expect(message.content.map((block) => block.type)).toEqual(['thinking', 'text']);
    expect(message.content[1]).toEqual({ type: 'text', text: 'Grok' });
    expect(message.usage).toEqual({ input_tokens: 10, output_tokens: 322, cache_creation_input_tokens: 0, cache_read_input_tokens: 2 });
  });

  it('xai-tool-call.json: tool name mapped back; output 26 + 255; input 307 − 244 = 63', () => {
    const { message } = convert('xai-tool-call.json', {
      toUpstream: (name) => name,
      toClient: (name) => (name === 'weather' ? 'get_weather_for_a_very_long_client_tool_name' : name),
    });
    expect(message.content.at(-1)).toEqual({
      type: 'tool_use',
      id: 'call_46427107',
      name: 'get_weather_for_a_very_long_client_tool_name',
      input: { location: 'San Francisco' },
    });
    expect(message.stop_reason).toBe('tool_use');
    expect(message.usage).toEqual({ input_tokens: 63, output_tokens: 281, cache_creation_input_tokens: 0, cache_read_input_tokens: 244 });
  });
});

function completionWith(message: Record<string, unknown>, finishReason: string | null, extra: Record<string, unknown> = {}): OpenAIChatCompletion {
  return {
    id: 'chatcmpl-x',
    object: 'chat.completion',
    created: 1,
    model: 'upstream-model',
    choices: [{ index: 0, message: { role: 'assistant', content: null, ...message }, finish_reason: finishReason, ...extra }],
    usage: { prompt_tokens: 100, completion_tokens: 5, total_tokens: 105, prompt_tokens_details: { cached_tokens: 30, cache_write_tokens: 50 } },
  } as OpenAIChatCompletion;
}

describe('convertOpenAICompletionToAnthropic edge cases', () => {
  it('subtracts cache reads and writes from input', () => {
    const message = convertOpenAICompletionToAnthropic({ completion: completionWith({ content: 'x' }, 'stop'), toolNames: identityNames });
    expect(message.usage).toEqual({ input_tokens: 20, output_tokens: 5, cache_creation_input_tokens: 50, cache_read_input_tokens: 30 });
  });

  it('falls back to {} for invalid arguments and sanitizes foreign ids', () => {
    const completion = completionWith(
      { tool_calls: [{ id: 'functions.Bash:0', type: 'function', function: { name: 'Bash', arguments: '{"command": "ls' } }] },
      'tool_calls',
    );
    const message = convertOpenAICompletionToAnthropic({ completion, toolNames: identityNames });
    expect(message.content).toEqual([{ type: 'tool_use', id: expect.stringMatching(/^functions_Bash_0_[0-9a-f]{8}$/), name: 'Bash', input: {} }]);
  });

  it('says tool_use for tool calls under finish_reason stop, and refusal for content_filter', () => {
    const withTools = completionWith({ tool_calls: [{ id: 'c1', type: 'function', function: { name: 't', arguments: '{}' } }] }, 'stop');
    expect(convertOpenAICompletionToAnthropic({ completion: withTools, toolNames: identityNames }).stop_reason).toBe('tool_use');
    const filtered = completionWith({ content: 'partial' }, 'content_filter');
    expect(convertOpenAICompletionToAnthropic({ completion: filtered, toolNames: identityNames }).stop_reason).toBe('refusal');
  });

  it('keeps a refusal as text and reads `reasoning` when `reasoning_content` is absent', () => {
    const completion = completionWith({ reasoning: 'hmm', refusal: 'I cannot help with that.' }, 'stop');
    expect(convertOpenAICompletionToAnthropic({ completion, toolNames: identityNames }).content).toEqual([
      { type: 'thinking', thinking: 'hmm', signature: '' },
      { type: 'text', text: 'I cannot help with that.' },
    ]);
  });

  it('converts a legacy function_call and synthesizes its id', () => {
    const completion = completionWith({ function_call: { name: 'f', arguments: '{"a":1}' } }, 'function_call');
    const message = convertOpenAICompletionToAnthropic({ completion, toolNames: identityNames });
    expect(message.content).toEqual([{ type: 'tool_use', id: 'toolu_chatcmpl-x_0', name: 'f', input: { a: 1 } }]);
    expect(message.stop_reason).toBe('tool_use');
  });

  it('reports stop_sequence only for a match the server names among the client\'s sequences', () => {
    const completion = completionWith({ content: 'x' }, 'stop', { stop_reason: '###' });
    expect(convertOpenAICompletionToAnthropic({ completion, toolNames: identityNames, stopSequences: ['###'] })).toMatchObject({
      stop_reason: 'stop_sequence',
      stop_sequence: '###',
    });
    expect(convertOpenAICompletionToAnthropic({ completion, toolNames: identityNames, stopSequences: ['END'] })).toMatchObject({
      stop_reason: 'end_turn',
      stop_sequence: null,
    });
    expect(convertOpenAICompletionToAnthropic({ completion, toolNames: identityNames })).toMatchObject({ stop_reason: 'end_turn' });
  });

  it('handles a completion without choices or usage, and a model override', () => {
    const completion = { id: 'x', object: 'chat.completion', created: 1, model: 'm', choices: [] } as unknown as OpenAIChatCompletion;
    expect(convertOpenAICompletionToAnthropic({ completion, toolNames: identityNames, model: 'claude-alias' })).toEqual({
      id: 'msg_x',
      type: 'message',
      role: 'assistant',
      model: 'claude-alias',
      content: [],
      stop_reason: 'end_turn',
      stop_sequence: null,
      usage: { input_tokens: 0, output_tokens: 0, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 },
    });
  });
});

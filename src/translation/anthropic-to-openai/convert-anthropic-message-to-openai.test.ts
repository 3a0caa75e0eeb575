import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { AnthropicMessage } from '../../protocol/anthropic/anthropic-message.js';
import { convertAnthropicMessageToOpenAI } from './convert-anthropic-message-to-openai.js';

const responseDir = new URL('../../../test/fixtures/anthropic/response/', import.meta.url);
const readMessage = (name: string) => JSON.parse(readFileSync(new URL(name, responseDir), 'utf8')) as AnthropicMessage;
const convert = (name: string) => convertAnthropicMessageToOpenAI({ message: readMessage(name), created: 1_700_000_000 });
const noCache = { cached_tokens: 0, cache_write_tokens: 0 };

describe('convertAnthropicMessageToOpenAI on the recorded responses', () => {
  it('text.json', () => {
    expect(convert('text.json')).toEqual({
      id: 'msg_01VdEjxAP5ahtHKrrRdNBteQ',
      object: 'chat.completion',
      created: 1_700_000_000,
      model: 'claude-sonnet-4-5-20250929',
      choices: [
        {
          index: 0,
          message: {
            role: 'assistant',
            content: "Hello! I'm doing well, thanks for asking. How are you doing today? Is there anything I can help you with?",
          },
          finish_reason: 'stop',
          logprobs: null,
        },
      ],
      usage: { prompt_tokens: 12, completion_tokens: 29, total_tokens: 41, prompt_tokens_details: noCache },
    });
  });

  it('thinking-signature-text.json: thinking becomes reasoning_content, the signature goes', () => {
    const completion = convert('thinking-signature-text.json');
    expect(completion.choices[0]!.message).toEqual({
      role: 'assistant',
      content: '925 ÷ 5 = 185',
      reasoning_content: '925 divided by 5 = 185',
    });
    expect(completion.usage).toEqual({ prompt_tokens: 69, completion_tokens: 33, total_tokens: 102, prompt_tokens_details: noCache });
  });

  it('tool-use.json: a turn of only a tool call has null content', () => {
    const completion = convert('tool-use.json');
    const message = completion.choices[0]!.message;
    expect(message.content).toBeNull();
    expect(message.tool_calls).toHaveLength(1);
    const call = message.tool_calls![0]!;
    expect(call).toMatchObject({ id: 'toolu_01Q9ExVZnzZj7E2QQYHYtNUa', type: 'function', function: { name: 'json' } });
    expect(JSON.parse(call.function.arguments)).toEqual({
      elements: [
        { location: 'San Francisco', temperature: -5, condition: 'snowy' },
        { location: 'London', temperature: 0, condition: 'snowy' },
        { location: 'Paris', temperature: 23, condition: 'cloudy' },
        { location: 'Berlin', temperature: -9, condition: 'snowy' },
      ],
    });
    expect(completion.choices[0]!.finish_reason).toBe('tool_calls');
    expect(completion.usage).toMatchObject({ prompt_tokens: 1151, completion_tokens: 87, total_tokens: 1238 });
  });

  it('tool-use-no-args.json: empty input becomes "{}"', () => {
    const message = convert('tool-use-no-args.json').choices[0]!.message;
    expect(message.tool_calls).toEqual([
      { id: 'toolu_01LRmxn9vGM1d2DZSDBowdZ1', type: 'function', function: { name: 'updateIssueList', arguments: '{}' } },
    ]);
    expect(message.content).toMatch(/^<thinking>\nThe updateIssueList tool/);
    expect(message.content).toMatch(/Okay, I will update the current issue list:$/);
  });

  it('web-search-citations.json: server tool blocks vanish, the cited text blocks join into one text', () => {
    const completion = convert('web-search-citations.json');
    const message = completion.choices[0]!.message;
    expect(message.tool_calls).toBeUndefined();
    const texts = readMessage('web-search-citations.json').content.flatMap((block) => (block.type === 'text' ? [block.text] : []));
    expect(texts).toHaveLength(8);
    expect(message.content).toBe(texts.join(''));
    expect(message.content).toMatch(/^Let me search for more specific tech news from today \(September 26, 2024\)\./);
    expect(completion.usage).toMatchObject({ prompt_tokens: 27118, completion_tokens: 600, total_tokens: 27718 });
  });

  it('compaction.json: the compaction block is not content', () => {
    const completion = convert('compaction.json');
    expect(completion.choices[0]!.message.content).toMatch(/^Based on our conversation history, you had asked me to summarize/);
    expect(completion.choices[0]!.message.content).not.toContain('## Summary of Conversation');
    // The summary pass and the answer, as billed (the top level counts the answer alone).
    expect(completion.usage).toMatchObject({ prompt_tokens: 60_385 + 682, completion_tokens: 592 + 1320 });
  });
});

describe('convertAnthropicMessageToOpenAI', () => {
  const message: AnthropicMessage = {
    id: 'msg_x',
    type: 'message',
    role: 'assistant',
    model: 'claude-x',
    content: [],
    stop_reason: 'max_tokens',
    stop_sequence: null,
    usage: {
      input_tokens: 3,
      output_tokens: 50,
      cache_creation_input_tokens: 1000,
      cache_read_input_tokens: 20000,
      output_tokens_details: { thinking_tokens: 40 },
    },
  };

  it('reports cache and thinking tokens, and maps the stop reason', () => {
    const completion = convertAnthropicMessageToOpenAI({ message, created: 1, id: 'chatcmpl-1', model: 'alias' });
    expect(completion).toMatchObject({ id: 'chatcmpl-1', model: 'alias', choices: [{ message: { content: null }, finish_reason: 'length' }] });
    expect(completion.usage).toEqual({
      prompt_tokens: 21003,
      completion_tokens: 50,
      total_tokens: 21053,
      prompt_tokens_details: { cached_tokens: 20000, cache_write_tokens: 1000 },
      completion_tokens_details: { reasoning_tokens: 40 },
    });
  });
});

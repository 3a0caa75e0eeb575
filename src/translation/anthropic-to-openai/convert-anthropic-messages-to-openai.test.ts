import { describe, expect, it } from 'vitest';
import type { AnthropicContentBlockParam } from '../../protocol/anthropic/anthropic-content-block-param.js';
import type { AnthropicMessageParam } from '../../protocol/anthropic/anthropic-message-param.js';
import { createToolNameMap } from '../tool-name/create-tool-name-map.js';
import { convertAnthropicMessagesToOpenAI } from './convert-anthropic-messages-to-openai.js';
import type { ReasoningDialect } from './reasoning-dialect.js';
import { UnsupportedFeatureError } from './unsupported-feature-error.js';

function convert(
  messages: AnthropicMessageParam[],
  options: { system?: Parameters<typeof convertAnthropicMessagesToOpenAI>[0]['system']; reasoning?: ReasoningDialect } = {},
) {
  return convertAnthropicMessagesToOpenAI({
    system: options.system,
    messages,
    toolNames: createToolNameMap([]),
    reasoning: options.reasoning ?? 'reasoning_effort',
  });
}

const user = (content: AnthropicMessageParam['content']): AnthropicMessageParam => ({ role: 'user', content });
const assistant = (content: AnthropicMessageParam['content']): AnthropicMessageParam => ({ role: 'assistant', content });
const toolUse = (id: string, input: unknown = {}): AnthropicContentBlockParam => ({ type: 'tool_use', id, name: 'run', input });

function featureOf(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(UnsupportedFeatureError);
    return (error as UnsupportedFeatureError).feature;
  }
  throw new Error('expected an UnsupportedFeatureError');
}

describe('convertAnthropicMessagesToOpenAI', () => {
  describe('system', () => {
    it('joins system blocks with a blank line, dropping cache_control', () => {
      const { messages } = convert([user('hi')], {
        system: [
          { type: 'text', text: 'First.' },
          { type: 'text', text: 'Second.', cache_control: { type: 'ephemeral', ttl: '1h' } },
        ],
      });
      expect(messages).toEqual([
        { role: 'system', content: 'First.\n\nSecond.' },
        { role: 'user', content: 'hi' },
      ]);
    });

    it("drops Claude Code's attribution block, only in first position", () => {
      const attribution = 'x-anthropic-billing-header: cc_version=2.1.197.6e2; cc_entrypoint=sdk-cli;';
      expect(convert([user('hi')], { system: [{ type: 'text', text: attribution }, { type: 'text', text: 'Prompt.' }] }).messages[0]).toEqual({
        role: 'system',
        content: 'Prompt.',
      });
      expect(convert([user('hi')], { system: [{ type: 'text', text: 'Prompt.' }, { type: 'text', text: attribution }] }).messages[0]).toEqual({
        role: 'system',
        content: `Prompt.\n\n${attribution}`,
      });
      // Nothing left: no empty system message.
      expect(convert([user('hi')], { system: [{ type: 'text', text: attribution }] }).messages).toEqual([{ role: 'user', content: 'hi' }]);
    });

    it('keeps a mid-conversation system message in place', () => {
      const { messages } = convert([
        user('a'),
        { role: 'system', content: [{ type: 'text', text: 'Note.' }] },
        assistant('b'),
        user('c'),
      ]);
      expect(messages.map((message) => [message.role, message.content])).toEqual([
        ['user', 'a'],
        ['system', 'Note.'],
        ['assistant', 'b'],
        ['user', 'c'],
      ]);
    });

    it('moves tool messages ahead of a system message that came between the tool call and its result', () => {
      const { messages } = convert([
        user('go'),
        assistant([toolUse('toolu_1')]),
        { role: 'system', content: 'Reminder.' },
        user([{ type: 'tool_result', tool_use_id: 'toolu_1', content: 'done' }, { type: 'text', text: 'next?' }]),
      ]);
      expect(messages.map((message) => message.role)).toEqual(['user', 'assistant', 'tool', 'system', 'user']);
    });
  });

  describe('user content', () => {
    it('sends a lone text block as a string and several parts as parts', () => {
      expect(convert([user([{ type: 'text', text: 'one', cache_control: { type: 'ephemeral' } }])]).messages).toEqual([
        { role: 'user', content: 'one' },
      ]);
      expect(convert([user([{ type: 'text', text: 'one' }, { type: 'text', text: 'two' }])]).messages).toEqual([
        { role: 'user', content: [{ type: 'text', text: 'one' }, { type: 'text', text: 'two' }] },
      ]);
    });

    it('keeps url images as they are', () => {
      const { messages } = convert([user([{ type: 'image', source: { type: 'url', url: 'https://example.com/a.png' } }])]);
      expect(messages).toEqual([{ role: 'user', content: [{ type: 'image_url', image_url: { url: 'https://example.com/a.png' } }] }]);
    });

    it('turns a PDF into a file part with a data URI and a filename', () => {
      const pdf = (title?: string): AnthropicContentBlockParam => ({
        type: 'document',
        source: { type: 'base64', media_type: 'application/pdf', data: 'JVBERi0=' },
        ...(title === undefined ? {} : { title }),
      });
      expect(convert([user([pdf()])]).messages[0]!.content).toEqual([
        { type: 'file', file: { filename: 'document.pdf', file_data: 'data:application/pdf;base64,JVBERi0=' } },
      ]);
      expect(convert([user([pdf('Report')])]).messages[0]!.content).toEqual([
        { type: 'file', file: { filename: 'Report.pdf', file_data: 'data:application/pdf;base64,JVBERi0=' } },
      ]);
      expect(convert([user([pdf('report.PDF')])]).messages[0]!.content).toMatchObject([{ file: { filename: 'report.PDF' } }]);
    });

    it('turns text and content documents into text, title and context first', () => {
      const { messages, warnings } = convert([
        user([
          { type: 'document', source: { type: 'text', media_type: 'text/plain', data: 'Body.' }, title: 'Title', context: 'Context', citations: { enabled: true } },
          { type: 'document', source: { type: 'content', content: [{ type: 'text', text: 'Inner.' }] } },
          { type: 'text', text: 'Summarize.' },
        ]),
      ]);
      expect(messages[0]!.content).toEqual([
        { type: 'text', text: 'Title\n\nContext\n\nBody.' },
        { type: 'text', text: 'Inner.' },
        { type: 'text', text: 'Summarize.' },
      ]);
      expect(warnings).toEqual(['document citations were dropped: OpenAI-compatible upstreams cannot cite']);
    });

    it('turns a search result into text', () => {
      const { messages } = convert([
        user([
          {
            type: 'search_result',
            source: 'https://example.com/page',
            title: 'Page',
            content: [{ type: 'text', text: 'Fact one.' }, { type: 'text', text: 'Fact two.' }],
          },
        ]),
      ]);
      expect(messages).toEqual([{ role: 'user', content: 'Page\nSource: https://example.com/page\n\nFact one.\n\nFact two.' }]);
    });
  });

  describe('tool results', () => {
    it('emits tool messages before the rest of the same user message, in order', () => {
      const { messages } = convert([
        user('go'),
        assistant([toolUse('a'), toolUse('b')]),
        user([
          { type: 'text', text: 'Here you go.' },
          { type: 'tool_result', tool_use_id: 'a', content: 'A' },
          { type: 'tool_result', tool_use_id: 'b', content: [{ type: 'text', text: 'B1' }, { type: 'text', text: 'B2' }] },
        ]),
      ]);
      expect(messages.slice(2)).toEqual([
        { role: 'tool', tool_call_id: 'a', content: 'A' },
        { role: 'tool', tool_call_id: 'b', content: 'B1\n\nB2' },
        { role: 'user', content: 'Here you go.' },
      ]);
    });

    it('prefixes errors with "Error: "', () => {
      const { messages } = convert([
        user('go'),
        assistant([toolUse('a'), toolUse('b')]),
        user([
          { type: 'tool_result', tool_use_id: 'a', content: 'command not found', is_error: true },
          { type: 'tool_result', tool_use_id: 'b', is_error: true },
        ]),
      ]);
      expect(messages.slice(2)).toEqual([
        { role: 'tool', tool_call_id: 'a', content: 'Error: command not found' },
        { role: 'tool', tool_call_id: 'b', content: 'Error' },
      ]);
    });

    it('sends an empty result as an empty string', () => {
      const { messages } = convert([user('go'), assistant([toolUse('a')]), user([{ type: 'tool_result', tool_use_id: 'a' }])]);
      expect(messages[2]).toEqual({ role: 'tool', tool_call_id: 'a', content: '' });
    });

    it('moves images a tool returned into the user message after the tool messages', () => {
      const image = { type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'AAAA' } } as const;
      const { messages } = convert([
        user('go'),
        assistant([toolUse('a')]),
        user([
          { type: 'tool_result', tool_use_id: 'a', content: [{ type: 'text', text: 'Screenshot:' }, image] },
          { type: 'text', text: 'What do you see?' },
        ]),
      ]);
      expect(messages.slice(2)).toEqual([
        { role: 'tool', tool_call_id: 'a', content: 'Screenshot:\n\n(1 attachment of this tool result follows in the next user message.)' },
        {
          role: 'user',
          content: [
            { type: 'image_url', image_url: { url: 'data:image/png;base64,AAAA' } },
            { type: 'text', text: 'What do you see?' },
          ],
        },
      ]);
    });
  });

  describe('assistant content', () => {
    it('joins text blocks without a separator and stringifies tool input', () => {
      const { messages } = convert([
        user('go'),
        assistant([
          { type: 'text', text: 'Part one, ' },
          { type: 'text', text: 'part two.' },
          toolUse('t1', { path: '/tmp', flags: ['-l'] }),
        ]),
        user([{ type: 'tool_result', tool_use_id: 't1', content: 'ok' }]),
      ]);
      expect(messages[1]).toEqual({
        role: 'assistant',
        content: 'Part one, part two.',
        tool_calls: [{ id: 't1', type: 'function', function: { name: 'run', arguments: '{"path":"/tmp","flags":["-l"]}' } }],
      });
    });

    it('sends null content for a turn of only tool calls', () => {
      const { messages } = convert([user('go'), assistant([toolUse('t1')]), user([{ type: 'tool_result', tool_use_id: 't1', content: 'ok' }])]);
      expect(messages[1]).toEqual({ role: 'assistant', content: null, tool_calls: [expect.objectContaining({ id: 't1' })] });
    });

    const withThinking = [
      user('q'),
      assistant([
        { type: 'thinking', thinking: 'Let me think. ', signature: 'sig' },
        { type: 'redacted_thinking', data: 'opaque' },
        { type: 'thinking', thinking: 'Done.', signature: 'sig2' },
        { type: 'text', text: 'Answer.' },
      ]),
      user('more'),
    ];

    it('drops thinking for upstreams that do not take it back', () => {
      for (const reasoning of ['reasoning_effort', 'openrouter', 'none'] as const) {
        expect(convert(withThinking, { reasoning }).messages[1]).toEqual({ role: 'assistant', content: 'Answer.' });
      }
    });

    it('passes thinking to DeepSeek as reasoning_content', () => {
      expect(convert(withThinking, { reasoning: 'deepseek' }).messages[1]).toEqual({
        role: 'assistant',
        content: 'Answer.',
        reasoning_content: 'Let me think. Done.',
      });
    });

    it('keeps an assistant turn of only thinking valid', () => {
      const { messages } = convert([user('q'), assistant([{ type: 'thinking', thinking: 't', signature: 's' }]), user('again')]);
      expect(messages[1]).toEqual({ role: 'assistant', content: '' });
    });
  });

  describe('refuses', () => {
    it.each<[string, AnthropicMessageParam[], string]>([
      ['a prefill', [user('q'), assistant('{')], 'assistant prefill (a final assistant message)'],
      [
        'server tool history',
        [user('q'), assistant([{ type: 'server_tool_use', id: 'srvtoolu_1', name: 'web_search', input: { query: 'x' } }]), user('more')],
        'content block "server_tool_use" in an assistant message',
      ],
      [
        'server tool results',
        [user('q'), assistant([{ type: 'web_search_tool_result', tool_use_id: 'srvtoolu_1', content: [] }]), user('more')],
        'content block "web_search_tool_result" in an assistant message',
      ],
      ['a Files API image', [user([{ type: 'image', source: { type: 'file', file_id: 'file_1' } }])], 'image source type "file"'],
      ['a url document', [user([{ type: 'document', source: { type: 'url', url: 'https://x/a.pdf' } }])], 'document source type "url"'],
      ['a Files API document', [user([{ type: 'document', source: { type: 'file', file_id: 'file_1' } }])], 'document source type "file"'],
      [
        'a tool_reference in a tool result',
        [user('q'), assistant([toolUse('a')]), user([{ type: 'tool_result', tool_use_id: 'a', content: [{ type: 'tool_reference', tool_name: 'x' }] }])],
        'tool_result content block "tool_reference"',
      ],
      ['a block type from the future', [user([{ type: 'hologram' } as never])], 'content block "hologram" in a user message'],
    ])('%s', (_name, messages, feature) => {
      expect(featureOf(() => convert(messages))).toBe(feature);
    });
  });
});

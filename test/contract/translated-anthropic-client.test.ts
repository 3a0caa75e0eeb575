/**
 * Anthropic clients on an OpenAI-compatible channel: the official Anthropic
 * SDK calls a running mixroute, which translates to Chat Completions for a fake
 * OpenAI upstream replaying recorded DeepSeek / xAI / OpenAI traffic.
 */
import Anthropic from '@anthropic-ai/sdk';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  readOpenAIStreamFixture,
  replayOpenAIError,
  replayOpenAIFixture,
  replayScripted,
  startFakeOpenAIUpstream,
  type FakeOpenAIUpstream,
} from '../support/fake-openai-upstream.js';
import { ALICE_KEY, startTestGateway, type TestGateway } from '../support/start-test-gateway.js';

const CHANNEL_KEY = 'sk-deepseek-channel-0001';
const PNG_1X1 = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==';

let upstream: FakeOpenAIUpstream;
let mixroute: TestGateway;
let client: Anthropic;

beforeAll(async () => {
  upstream = await startFakeOpenAIUpstream();
  mixroute = await startTestGateway({
    upstreamUrl: upstream.url,
    config: {
      channels: [
        { name: 'deepseek', type: 'openai', base_url: upstream.baseUrl, api_key: CHANNEL_KEY, models: ['deepseek-*'], reasoning: 'deepseek', model_map: { 'claude-sonnet-4-5-20250929': 'deepseek-chat' } },
        { name: 'plain', type: 'openai', base_url: upstream.baseUrl, api_key: CHANNEL_KEY, models: ['plain-*'], reasoning: 'none' },
        // Errors get channels of their own: a 429 cools its credential down, which would refuse the next test's request.
        { name: 'limited', type: 'openai', base_url: upstream.baseUrl, api_key: CHANNEL_KEY, models: ['limited-*'] },
        { name: 'failing', type: 'openai', base_url: upstream.baseUrl, api_key: CHANNEL_KEY, models: ['failing-*'] },
      ],
      prices: [{ model: 'deepseek-*', input: '0.27', output: '1.10', cache_read: '0.07' }],
    },
  });
  client = new Anthropic({ apiKey: ALICE_KEY, baseURL: mixroute.url, maxRetries: 0 });
});
afterAll(async () => {
  await mixroute?.close();
  await upstream?.close();
});
beforeEach(() => upstream.reset());

/** The text a recorded OpenAI stream carries in `delta.content`. */
function recordedContent(name: string): string {
  return readOpenAIStreamFixture(name)
    .toString()
    .split('\n')
    .filter((line) => line.startsWith('data: {'))
    .map((line) => JSON.parse(line.slice(6)).choices?.[0]?.delta?.content ?? '')
    .join('');
}

describe('Anthropic SDK → mixroute → OpenAI-compatible channel', () => {
  it('stream().finalMessage(): text, stop reason and exact usage from a recorded DeepSeek stream', async () => {
    upstream.setChatHandler(replayOpenAIFixture('deepseek-text'));
    const message = await client.messages.stream({ model: 'deepseek-chat', max_tokens: 400, messages: [{ role: 'user', content: 'Write a story' }] }).finalMessage();
    expect(message.content).toHaveLength(1);
    expect((message.content[0] as { text: string }).text).toBe(recordedContent('deepseek-text'));
    expect(message.stop_reason).toBe('max_tokens');
    expect(message.usage).toMatchObject({ input_tokens: 13, output_tokens: 400 });
    const sent = upstream.chatRequests()[0]!.json;
    expect(sent).toMatchObject({ model: 'deepseek-chat', stream: true, stream_options: { include_usage: true }, max_tokens: 400 });
    expect(upstream.chatRequests()[0]!.headers.authorization).toBe(`Bearer ${CHANNEL_KEY}`);
    const [row] = await mixroute.ledger();
    // Priced by the operator's deepseek-* entry: 13 × 270 + 400 × 1,100 nano-USD.
    expect(row).toMatchObject({ dialect: 'anthropic', channelName: 'deepseek', stream: true, outcome: 'ok', inputTokens: 13, outputTokens: 400, costNanoUsd: 13 * 270 + 400 * 1_100 });
  });

  it('reasoning arrives as a thinking block without a signature, and thinking is asked for in DeepSeek terms', async () => {
    upstream.setChatHandler(replayOpenAIFixture('deepseek-reasoning'));
    const message = await client.messages
      .stream({ model: 'deepseek-reasoner', max_tokens: 2000, thinking: { type: 'enabled', budget_tokens: 1024 }, messages: [{ role: 'user', content: 'How many r in strawberry?' }] })
      .finalMessage();
    expect(message.content.map((block) => block.type)).toEqual(['thinking', 'text']);
    expect((message.content[0] as { thinking: string }).thinking.length).toBeGreaterThan(50);
    expect(upstream.chatRequests()[0]!.json.thinking).toEqual({ type: 'enabled' });
    const [row] = await mixroute.ledger();
    expect(row).toMatchObject({ inputTokens: 18, outputTokens: 219 });
  });

  it('parallel tool calls become tool_use blocks, and the tool_result turn goes back as tool messages', async () => {
    upstream.setChatHandler(
      replayScripted({
        content: 'Checking both cities.',
        toolCalls: [
          { id: 'call_paris_1', name: 'get_weather', arguments: '{"city":"Paris"}' },
          { id: 'call_tokyo_2', name: 'get_weather', arguments: '{"city":"Tokyo","unit":"c"}' },
        ],
        usage: { prompt_tokens: 120, completion_tokens: 40, cached_tokens: 100 },
      }),
    );
    const tools = [{ name: 'get_weather', description: 'Weather for a city', input_schema: { type: 'object' as const, properties: { city: { type: 'string' } }, required: ['city'] } }];
    const first = await client.messages.stream({ model: 'deepseek-chat', max_tokens: 500, tools, messages: [{ role: 'user', content: 'Weather in Paris and Tokyo?' }] }).finalMessage();
    expect(first.stop_reason).toBe('tool_use');
    expect(first.content).toEqual([
      { type: 'text', text: 'Checking both cities.', citations: null },
      { type: 'tool_use', id: 'call_paris_1', name: 'get_weather', input: { city: 'Paris' } },
      { type: 'tool_use', id: 'call_tokyo_2', name: 'get_weather', input: { city: 'Tokyo', unit: 'c' } },
    ].map((block) => expect.objectContaining(block.type === 'text' ? { type: 'text', text: block.text } : block)));
    const [firstRow] = await mixroute.ledger();
    expect(firstRow).toMatchObject({ inputTokens: 20, cacheReadTokens: 100, outputTokens: 40 });

    upstream.setChatHandler(replayScripted({ content: 'Paris 18°, Tokyo 22°.' }));
    const second = await client.messages.create({
      model: 'deepseek-chat',
      max_tokens: 500,
      tools,
      messages: [
        { role: 'user', content: 'Weather in Paris and Tokyo?' },
        { role: 'assistant', content: first.content },
        {
          role: 'user',
          content: [
            { type: 'tool_result', tool_use_id: 'call_paris_1', content: '18°' },
            { type: 'tool_result', tool_use_id: 'call_tokyo_2', content: [{ type: 'text', text: '22°' }] },
            { type: 'text', text: 'Short answer please.' },
          ],
        },
      ],
    });
    expect((second.content[0] as { text: string }).text).toBe('Paris 18°, Tokyo 22°.');
    const sent = upstream.chatRequests().at(-1)!.json;
    expect(sent.messages.slice(1)).toEqual([
      expect.objectContaining({
        role: 'assistant',
        tool_calls: [
          { id: 'call_paris_1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } },
          { id: 'call_tokyo_2', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Tokyo","unit":"c"}' } },
        ],
      }),
      { role: 'tool', tool_call_id: 'call_paris_1', content: '18°' },
      { role: 'tool', tool_call_id: 'call_tokyo_2', content: '22°' },
      expect.objectContaining({ role: 'user' }),
    ]);
    expect(sent.tools).toEqual([{ type: 'function', function: { name: 'get_weather', description: 'Weather for a city', parameters: tools[0]!.input_schema } }]);
  });

  it('a base64 image goes up as a data URI, a URL image as its URL', async () => {
    upstream.setChatHandler(replayScripted({ content: 'A red pixel.' }));
    await client.messages.create({
      model: 'deepseek-chat',
      max_tokens: 50,
      messages: [
        {
          role: 'user',
          content: [
            { type: 'image', source: { type: 'base64', media_type: 'image/png', data: PNG_1X1 } },
            { type: 'image', source: { type: 'url', url: 'https://example.com/cat.jpg' } },
            { type: 'text', text: 'What is this?' },
          ],
        },
      ],
    });
    const parts = upstream.chatRequests()[0]!.json.messages[0].content;
    expect(parts).toEqual([
      { type: 'image_url', image_url: { url: `data:image/png;base64,${PNG_1X1}` } },
      { type: 'image_url', image_url: { url: 'https://example.com/cat.jpg' } },
      { type: 'text', text: 'What is this?' },
    ]);
  });

  it('a server tool the upstream cannot run is refused with a 400 naming it, before any upstream call', async () => {
    const error = await client.messages
      .create({ model: 'deepseek-chat', max_tokens: 50, tools: [{ type: 'web_search_20250305', name: 'web_search', max_uses: 5 }], messages: [{ role: 'user', content: 'news?' }] })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(Anthropic.BadRequestError);
    expect((error as InstanceType<typeof Anthropic.BadRequestError>).message).toMatch(/web_search/);
    expect(upstream.chatRequests()).toHaveLength(0);
  });

  it('thinking on a channel without a reasoning option is dropped, and the response says so', async () => {
    upstream.setChatHandler(replayScripted({ content: 'ok' }));
    const { response } = await client.messages
      .create({ model: 'plain-model', max_tokens: 2000, thinking: { type: 'enabled', budget_tokens: 1024 }, messages: [{ role: 'user', content: 'hi' }] })
      .withResponse();
    expect(response.headers.get('x-mixroute-thinking')).toBe('dropped');
    const sent = upstream.chatRequests()[0]!.json;
    expect(sent.thinking).toBeUndefined();
    expect(sent.reasoning_effort).toBeUndefined();
  });

  it('upstream errors become Anthropic errors with the matching status and retry-after', async () => {
    upstream.setChatHandler(replayOpenAIError(429, 'Rate limit reached', { type: 'requests', headers: { 'retry-after': '3' } }));
    const limited = await client.messages.create({ model: 'limited-model', max_tokens: 5, messages: [{ role: 'user', content: 'hi' }] }).catch((caught: unknown) => caught);
    expect(limited).toBeInstanceOf(Anthropic.RateLimitError);
    const rateLimited = limited as InstanceType<typeof Anthropic.RateLimitError>;
    expect(rateLimited.error).toMatchObject({ type: 'error', error: { type: 'rate_limit_error', message: 'Rate limit reached' } });
    expect(rateLimited.headers?.get('retry-after')).toBe('3');

    upstream.setChatHandler(replayOpenAIError(500, 'upstream exploded', { type: 'server_error' }));
    const failed = await client.messages.create({ model: 'failing-model', max_tokens: 5, messages: [{ role: 'user', content: 'hi' }] }).catch((caught: unknown) => caught);
    expect(failed).toBeInstanceOf(Anthropic.InternalServerError);
    expect((failed as InstanceType<typeof Anthropic.InternalServerError>).error).toMatchObject({ error: { type: 'api_error', message: 'upstream exploded' } });
    const [row] = await mixroute.ledger();
    expect(row).toMatchObject({ status: 500, outcome: 'upstream_error' });
  });

  it('a renamed Claude model is served by the OpenAI channel (create, non-streaming)', async () => {
    upstream.setChatHandler(replayOpenAIFixture('deepseek-tool-call'));
    const message = await client.messages.create({ model: 'claude-sonnet-4-5-20250929', max_tokens: 500, messages: [{ role: 'user', content: 'weather?' }] });
    expect(message.model).toBe('claude-sonnet-4-5-20250929');
    expect(message.stop_reason).toBe('tool_use');
    expect(message.content.some((block) => block.type === 'tool_use')).toBe(true);
    expect(upstream.chatRequests()[0]!.json.model).toBe('deepseek-chat');
    const [row] = await mixroute.ledger();
    expect(row).toMatchObject({ stream: false, inputTokens: 19, cacheReadTokens: 320, outputTokens: 92 });
  });

  it('count_tokens is counted locally and marked as an estimate', async () => {
    const { data, response } = await client.messages.countTokens({ model: 'deepseek-chat', messages: [{ role: 'user', content: 'How many tokens is this?' }] }).withResponse();
    expect(data.input_tokens).toBeGreaterThan(5);
    expect(response.headers.get('x-mixroute-token-count')).toBe('estimate');
    expect(upstream.requests).toHaveLength(0);
  });
});

describe('thinking translated from an OpenAI-compatible upstream, replayed to an Anthropic channel', () => {
  it('is removed from the history (it has no Anthropic signature), signed thinking is kept', async () => {
    const { startFakeAnthropicUpstream } = await import('../support/fake-anthropic-upstream.js');
    const anthropic = await startFakeAnthropicUpstream();
    const gateway = await startTestGateway({
      upstreamUrl: anthropic.url,
      config: {
        channels: [
          { name: 'deepseek', type: 'openai', base_url: upstream.baseUrl, api_key: CHANNEL_KEY, models: ['deepseek-*'], reasoning: 'deepseek' },
          { name: 'anthropic', type: 'anthropic', base_url: anthropic.url, api_key: 'sk-ant-x', models: ['claude-*'] },
        ],
      },
    });
    try {
      const sdk = new Anthropic({ apiKey: ALICE_KEY, baseURL: gateway.url, maxRetries: 0 });
      upstream.setChatHandler(replayOpenAIFixture('deepseek-reasoning'));
      const first = await sdk.messages.create({ model: 'deepseek-reasoner', max_tokens: 2000, thinking: { type: 'enabled', budget_tokens: 1024 }, messages: [{ role: 'user', content: 'q1' }] });
      expect(first.content[0]).toMatchObject({ type: 'thinking', signature: '' });
      await sdk.messages.create({
        model: 'claude-sonnet-4-5-20250929',
        max_tokens: 2000,
        messages: [
          { role: 'user', content: 'q1' },
          { role: 'assistant', content: first.content },
          { role: 'user', content: 'q2' },
          { role: 'assistant', content: [{ type: 'thinking', thinking: 'signed', signature: 'EqQBCkgIARABGAIiQL' }, { type: 'text', text: 'a2' }] },
          { role: 'user', content: 'q3' },
        ],
      });
      const sent = anthropic.messagesRequests()[0]!.json;
      expect(sent.messages[1].content.map((block: { type: string }) => block.type)).toEqual(['text']);
      expect(sent.messages[3].content[0]).toEqual({ type: 'thinking', thinking: 'signed', signature: 'EqQBCkgIARABGAIiQL' });
    } finally {
      await gateway.close();
      await anthropic.close();
    }
  });
});

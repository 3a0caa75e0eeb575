/**
 * The official openai SDK against a running mixroute in front of a fake
 * OpenAI-compatible upstream: same protocol, so bytes pass through; the
 * ledger still gets the upstream's usage.
 */
import OpenAI from 'openai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { readOpenAIResponseFixture, readOpenAIStreamFixture, replayOpenAIError, replayOpenAIFixture, startFakeOpenAIUpstream, type FakeOpenAIUpstream } from '../support/fake-openai-upstream.js';
import { ALICE_KEY, startTestGateway, type TestGateway } from '../support/start-test-gateway.js';

const OPENAI_CHANNEL_KEY = 'sk-openai-channel-0001';
let upstream: FakeOpenAIUpstream;
let mixroute: TestGateway;
let client: OpenAI;

beforeAll(async () => {
  upstream = await startFakeOpenAIUpstream();
  mixroute = await startTestGateway({
    upstreamUrl: upstream.url,
    config: {
      channels: [{ name: 'fake-openai', type: 'openai', base_url: upstream.baseUrl, api_key: OPENAI_CHANNEL_KEY, models: ['gpt-*', 'deepseek-*'], model_map: { 'house-gpt': 'gpt-4.1-nano' } }],
    },
  });
  client = new OpenAI({ apiKey: ALICE_KEY, baseURL: `${mixroute.url}/v1`, maxRetries: 0 });
});
afterAll(async () => {
  await mixroute?.close();
  await upstream?.close();
});
beforeEach(() => upstream.reset());

describe('openai SDK → mixroute → OpenAI-compatible channel (passthrough)', () => {
  it('create(): the completion comes back unchanged; the upstream gets the channel key and the same body', async () => {
    const completion = await client.chat.completions.create({ model: 'gpt-4.1-nano', messages: [{ role: 'user', content: 'Hello' }] });
    expect(completion).toEqual(JSON.parse(readOpenAIResponseFixture('text').toString()));
    const [received] = upstream.chatRequests();
    expect(received!.headers.authorization).toBe(`Bearer ${OPENAI_CHANNEL_KEY}`);
    expect(received!.json).toEqual({ model: 'gpt-4.1-nano', messages: [{ role: 'user', content: 'Hello' }] });
    const [row] = await mixroute.ledger();
    expect(row).toMatchObject({ dialect: 'openai', endpoint: 'chat_completions', stream: false, outcome: 'ok', channelName: 'fake-openai' });
    expect(row!.outputTokens).toBe(completion.usage!.completion_tokens);
  });

  it("the operator's upstream account stays private: no organization or project either way, the upstream's x-request-id passes", async () => {
    const accountHeaders = { 'openai-organization': 'org-operator', 'openai-project': 'proj_operator', 'x-request-id': 'req_upstream_0001' };
    upstream.setChatHandler(replayOpenAIFixture('text', { headers: accountHeaders }));
    const scoped = new OpenAI({ apiKey: ALICE_KEY, baseURL: `${mixroute.url}/v1`, maxRetries: 0, organization: 'org-client', project: 'proj_client' });
    const whole = await scoped.chat.completions.create({ model: 'gpt-4.1-nano', messages: [{ role: 'user', content: 'Hello' }] }).withResponse();
    const streamed = await scoped.chat.completions.create({ model: 'gpt-4.1-nano', stream: true, messages: [{ role: 'user', content: 'Hello' }] }).withResponse();
    for await (const _chunk of streamed.data);
    for (const { response } of [whole, streamed]) {
      expect(response.headers.get('openai-organization')).toBeNull();
      expect(response.headers.get('openai-project')).toBeNull();
      expect(response.headers.get('x-request-id')).toBe('req_upstream_0001');
      expect(response.headers.get('x-mixroute-request-id')).toMatch(/^req_mr/);
    }
    expect(whole.request_id).toBe('req_upstream_0001');
    for (const received of upstream.chatRequests()) {
      expect(received.headers['openai-organization']).toBeUndefined();
      expect(received.headers['openai-project']).toBeUndefined();
      expect(received.headers.authorization).toBe(`Bearer ${OPENAI_CHANNEL_KEY}`);
    }
    expect(upstream.chatRequests()).toHaveLength(2);
  });

  it('a stream with include_usage passes byte for byte', async () => {
    upstream.setChatHandler(replayOpenAIFixture('deepseek-tool-call'));
    const response = await fetch(`${mixroute.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ALICE_KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'deepseek-chat', stream: true, stream_options: { include_usage: true }, messages: [{ role: 'user', content: 'weather?' }] }),
    });
    expect(Buffer.from(await response.arrayBuffer()).equals(readOpenAIStreamFixture('deepseek-tool-call'))).toBe(true);
    const row = (await mixroute.ledger()).find((entry) => entry.id === response.headers.get('x-mixroute-request-id'));
    expect(row).toMatchObject({ stream: true, outcome: 'ok', inputTokens: 19, cacheReadTokens: 320, outputTokens: 83 });
  });

  it('a stream without include_usage is still metered, and the client does not get the usage chunk it did not ask for', async () => {
    const stream = await client.chat.completions.create({ model: 'gpt-4.1-nano', stream: true, messages: [{ role: 'user', content: 'Hello' }] });
    let text = '';
    let sawUsage = false;
    for await (const chunk of stream) {
      text += chunk.choices[0]?.delta.content ?? '';
      if (chunk.usage) sawUsage = true;
      expect(chunk.choices.length).toBe(1);
    }
    expect(sawUsage).toBe(false);
    expect(text.length).toBeGreaterThan(100);
    expect(upstream.chatRequests()[0]!.json.stream_options).toEqual({ include_usage: true });
    const [row] = await mixroute.ledger();
    expect(row).toMatchObject({ stream: true, outcome: 'ok', inputTokens: 16, outputTokens: 300 });
  });

  it('a renamed model is sent upstream under its upstream name', async () => {
    await client.chat.completions.create({ model: 'house-gpt', messages: [{ role: 'user', content: 'Hi' }] });
    expect(upstream.chatRequests()[0]!.json.model).toBe('gpt-4.1-nano');
  });

  it('upstream errors come back unchanged; mixroute errors use the OpenAI shape', async () => {
    upstream.setChatHandler(replayOpenAIError(429, 'Rate limit reached for gpt-4.1-nano', { type: 'requests', code: 'rate_limit_exceeded', headers: { 'retry-after': '7' } }));
    const limited = await client.chat.completions.create({ model: 'gpt-4.1-nano', messages: [{ role: 'user', content: 'Hi' }] }).catch((error: unknown) => error);
    expect(limited).toBeInstanceOf(OpenAI.RateLimitError);
    expect((limited as InstanceType<typeof OpenAI.RateLimitError>).message).toContain('Rate limit reached for gpt-4.1-nano');
    expect((limited as InstanceType<typeof OpenAI.RateLimitError>).headers.get('retry-after')).toBe('7');

    const stranger = new OpenAI({ apiKey: 'sk-nobody-000000000000000', baseURL: `${mixroute.url}/v1`, maxRetries: 0 });
    const refused = await stranger.chat.completions.create({ model: 'gpt-4.1-nano', messages: [{ role: 'user', content: 'Hi' }] }).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(OpenAI.AuthenticationError);
    expect((refused as InstanceType<typeof OpenAI.AuthenticationError>).error).toMatchObject({ message: 'invalid x-api-key', type: 'authentication_error' });

    const unknown = await client.chat.completions.create({ model: 'no-such-model', messages: [{ role: 'user', content: 'Hi' }] }).catch((error: unknown) => error);
    expect(unknown).toBeInstanceOf(OpenAI.NotFoundError);

    const malformed = await fetch(`${mixroute.url}/v1/chat/completions`, { method: 'POST', headers: { authorization: `Bearer ${ALICE_KEY}` }, body: '{"model":' });
    expect(malformed.status).toBe(400);
    expect(await malformed.json()).toEqual({ error: { message: expect.stringContaining('not valid JSON'), type: 'invalid_request_error', param: null, code: 'invalid_request_error' } });
  });

  it('models.list() reads the shared listing', async () => {
    const ids: string[] = [];
    for await (const model of client.models.list()) ids.push(model.id);
    expect(ids).toContain('house-gpt');
  });
});

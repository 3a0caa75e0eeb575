/**
 * The official Anthropic SDKs (current 1.x and the last 0.x) against a running
 * mixroute in front of a fake Anthropic upstream replaying recorded traffic.
 * Asserts what the SDK parsed, what the upstream received (the client's headers
 * and body unchanged but for the credential), and the ledger rows.
 */
import AnthropicV1 from '@anthropic-ai/sdk';
import AnthropicV0 from 'anthropic-sdk-0';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  readErrorFixture,
  readResponseFixture,
  readStreamFixture,
  replayError,
  replayFixture,
  startFakeAnthropicUpstream,
  type FakeUpstream,
} from '../support/fake-anthropic-upstream.js';
import { ALICE_KEY, CHANNEL_KEY, startTestGateway, type TestGateway } from '../support/start-test-gateway.js';

interface SentRequest {
  url: string;
  headers: Record<string, string>;
  body: Buffer;
}

/** Headers the relay replaces or recomputes; every other client header must reach the upstream unchanged. */
const NOT_FORWARDED = new Set(['authorization', 'x-api-key', 'host', 'content-length', 'connection', 'accept-encoding']);

const sdks = [
  { label: '@anthropic-ai/sdk 1.x', Client: AnthropicV1 as unknown as typeof AnthropicV0, version: '1' },
  { label: '@anthropic-ai/sdk 0.x', Client: AnthropicV0, version: '0' },
] as const;

let upstream: FakeUpstream;
let mixroute: TestGateway;

beforeAll(async () => {
  upstream = await startFakeAnthropicUpstream();
  mixroute = await startTestGateway({ upstreamUrl: upstream.url });
});
afterAll(async () => {
  await mixroute?.close();
  await upstream?.close();
});
beforeEach(() => upstream.reset());

describe.each(sdks)('$label', ({ Client, version }) => {
  let sent: SentRequest[];
  let client: InstanceType<typeof AnthropicV0>;

  beforeEach(() => {
    sent = [];
    client = new Client({
      apiKey: ALICE_KEY,
      baseURL: mixroute.url,
      maxRetries: 0,
      // Records exactly what the SDK put on the wire, to compare with what the upstream got.
      fetch: (async (url: string | URL | Request, init?: RequestInit) => {
        const headers: Record<string, string> = {};
        new Headers(init?.headers).forEach((value, name) => (headers[name] = value));
        sent.push({ url: String(url), headers, body: Buffer.from((init?.body as string | undefined) ?? '') });
        return fetch(url, init);
      }) as typeof fetch,
    });
  });

  function expectForwardedUnchanged(clientRequest: SentRequest, upstreamIndex = 0) {
    const received = upstream.messagesRequests()[upstreamIndex] ?? upstream.requests[upstreamIndex]!;
    expect(received.body.equals(clientRequest.body)).toBe(true);
    expect(received.url).toBe(new URL(clientRequest.url).pathname + new URL(clientRequest.url).search);
    for (const [name, value] of Object.entries(clientRequest.headers)) {
      if (NOT_FORWARDED.has(name)) continue;
      expect(received.headers[name], `header ${name}`).toBe(value);
    }
    // The client's key never leaves mixroute; the channel's credential is sent instead.
    expect(received.headers['x-api-key']).toBe(CHANNEL_KEY);
    expect(received.headers.authorization).toBeUndefined();
    expect(JSON.stringify(received.headers)).not.toContain(ALICE_KEY);
    return received;
  }

  it('create(): parses the relayed message and the upstream gets the client request unchanged', async () => {
    upstream.setHandler(replayFixture('text', { headers: { 'anthropic-organization-id': 'org-operator-0001' } }));
    const { data: message, response } = await client.messages
      .create({ model: 'claude-sonnet-4-5-20250929', max_tokens: 1024, messages: [{ role: 'user', content: 'Hello' }], metadata: { user_id: 'user_abc' } })
      .withResponse();
    const recorded = JSON.parse(readResponseFixture('text').toString());
    expect(message).toEqual(recorded);
    expect(response.headers.get('request-id')).toMatch(/^req_fake_/);
    expect(response.headers.get('x-mixroute-request-id')).toMatch(/^req_mr/);
    // The operator's upstream organization is not the client's business.
    expect(response.headers.get('anthropic-organization-id')).toBeNull();
    expect(sent).toHaveLength(1);
    const clientAuth = version === '1' ? sent[0]!.headers.authorization : sent[0]!.headers['x-api-key'];
    expect(clientAuth).toContain(ALICE_KEY);
    const received = expectForwardedUnchanged(sent[0]!);
    expect(received.headers['anthropic-version']).toBe(version === '1' ? '2026-10-21' : '2023-06-01');

    const [row] = await mixroute.ledger();
    expect(row).toMatchObject({
      id: response.headers.get('x-mixroute-request-id'),
      apiKeyId: expect.stringMatching(/^key_/),
      channelName: 'fake-anthropic',
      clientModel: 'claude-sonnet-4-5-20250929',
      upstreamModel: 'claude-sonnet-4-5-20250929',
      dialect: 'anthropic',
      endpoint: 'messages',
      stream: false,
      status: 200,
      outcome: 'ok',
      inputTokens: recorded.usage.input_tokens,
      outputTokens: recorded.usage.output_tokens,
      cacheReadTokens: 0,
      // Sonnet 4.5 at $3 / $15 per million tokens: 12 × 3,000 + 29 × 15,000 nano-USD.
      costNanoUsd: 12 * 3_000 + 29 * 15_000,
    });
  });

  it('stream().finalMessage(): thinking with its signature arrives intact and the usage is metered', async () => {
    upstream.setHandler(replayFixture('thinking-signature-text', { split: 'events', delayMs: 1 }));
    const stream = client.messages.stream({
      model: 'claude-sonnet-4-5-20250929',
      max_tokens: 2048,
      thinking: { type: 'enabled', budget_tokens: 1024 },
      messages: [{ role: 'user', content: 'Think first.' }],
    });
    const texts: string[] = [];
    stream.on('text', (text) => texts.push(text));
    const message = await stream.finalMessage();
    const recorded = JSON.parse(readResponseFixture('thinking-signature-text').toString());
    expect(message.content.map((block) => block.type)).toEqual(['thinking', 'text']);
    const fixtureSse = readStreamFixture('thinking-signature-text').toString();
    const signature = /"signature_delta","signature":"([^"]+)"/.exec(fixtureSse)![1];
    expect((message.content[0] as { signature: string }).signature).toBe(signature);
    expect(texts.join('')).toBe((message.content[1] as { text: string }).text);
    expect(message.usage.output_tokens).toBe(53);
    expect(recorded.model).toBe(message.model);
    expectForwardedUnchanged(sent[0]!);

    const [row] = await mixroute.ledger();
    expect(row).toMatchObject({ stream: true, status: 200, outcome: 'ok', inputTokens: 69, outputTokens: 53 });
    expect(row!.ttfbMs).not.toBeNull();
  });

  it('an upstream whose writes cut events anywhere: the client gets the same bytes, and the usage is metered', async () => {
    // 13 writes of about equal size, 2 ms apart: most events span two reads, which the relay sends as held bytes plus the new read's head.
    upstream.setHandler(replayFixture('web-search-citations', { split: 13, delayMs: 2 }));
    const response = await fetch(`${mixroute.url}/v1/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': ALICE_KEY, 'anthropic-version': '2023-06-01' },
      body: JSON.stringify({ model: 'claude-sonnet-4-20250514', max_tokens: 1024, stream: true, messages: [{ role: 'user', content: 'Search.' }] }),
    });
    expect(response.status).toBe(200);
    expect(Buffer.from(await response.arrayBuffer()).equals(readStreamFixture('web-search-citations'))).toBe(true);
    const [row] = await mixroute.ledger();
    expect(row).toMatchObject({ stream: true, status: 200, outcome: 'ok', inputTokens: 15665, outputTokens: 795, webSearchRequests: 1 });
  });

  it('streams tool_use with input_json_delta and meters cache and server-tool usage', async () => {
    upstream.setHandler(replayFixture('web-search-citations'));
    const message = await client.messages
      .stream({
        model: 'claude-sonnet-4-20250514',
        max_tokens: 4096,
        tools: [{ type: 'web_search_20250305', name: 'web_search', max_uses: 5 }],
        messages: [{ role: 'user', content: 'News?' }],
      })
      .finalMessage();
    expect(message.content.length).toBe(21);
    expect(message.content[0]!.type).toBe('server_tool_use');
    const [row] = await mixroute.ledger();
    expect(row!.webSearchRequests).toBeGreaterThan(0);
    expect(row!.outcome).toBe('ok');
  });

  it('beta.messages.create(): anthropic-beta and the query string reach the upstream unchanged', async () => {
    upstream.setHandler(replayFixture('tool-use'));
    const message = await client.beta.messages.create({
      model: 'claude-haiku-4-5-20251001',
      max_tokens: 512,
      betas: ['interleaved-thinking-2025-05-14', 'context-management-2025-06-27'],
      tools: [{ name: 'json', description: 'Respond with JSON', input_schema: { type: 'object', properties: {} } }],
      tool_choice: { type: 'tool', name: 'json' },
      messages: [{ role: 'user', content: 'Give me JSON' }],
    });
    expect(message.stop_reason).toBe('tool_use');
    const received = expectForwardedUnchanged(sent[0]!);
    expect(received.headers['anthropic-beta']).toBe('interleaved-thinking-2025-05-14,context-management-2025-06-27');
    expect(received.url).toBe(version === '1' ? '/v1/messages' : '/v1/messages?beta=true');
  });

  it('countTokens(): forwarded to the channel', async () => {
    const result = await client.messages.countTokens({ model: 'claude-sonnet-4-5-20250929', messages: [{ role: 'user', content: 'count me' }] });
    expect(result.input_tokens).toBeGreaterThan(0);
    const received = upstream.requests.find((request) => request.path === '/v1/messages/count_tokens')!;
    expect(received.body.equals(sent[0]!.body)).toBe(true);
    const [row] = await mixroute.ledger();
    expect(row).toMatchObject({ endpoint: 'count_tokens', status: 200, outcome: 'ok', inputTokens: 0 });
  });

  it('models.list() pages through every model the key may use; models.retrieve() resolves one', async () => {
    const ids: string[] = [];
    for await (const model of client.models.list({ limit: 3 })) ids.push(model.id);
    expect(ids).toContain('claude-sonnet-4-5-20250929');
    expect(ids).toContain('claude-opus-4-8');
    expect(ids).toContain('house-model');
    expect(new Set(ids).size).toBe(ids.length);
    const model = await client.models.retrieve('claude-sonnet-4-5-20250929');
    expect(model).toMatchObject({ type: 'model', id: 'claude-sonnet-4-5-20250929', display_name: 'Claude Sonnet 4.5', created_at: '2025-09-29T00:00:00Z' });
    await expect(client.models.retrieve('gpt-4o')).rejects.toMatchObject({ status: 404 });
  });

  it('an upstream error comes back with its status and body unchanged', async () => {
    upstream.setHandler(replayError(529));
    const error = await client.messages
      .create({ model: 'claude-sonnet-4-5-20250929', max_tokens: 10, messages: [{ role: 'user', content: 'hi' }] })
      .then(
        () => undefined,
        (caught: unknown) => caught as InstanceType<typeof AnthropicV0.APIError>,
      );
    expect(error).toBeInstanceOf(Client.APIError);
    expect(error!.status).toBe(529);
    const fixture = JSON.parse(readErrorFixture(529).body.toString());
    expect(error!.error).toEqual(fixture);
    const [row] = await mixroute.ledger();
    expect(row).toMatchObject({ status: 529, outcome: 'upstream_error', errorType: 'overloaded_error' });
  });

  it('a mid-stream upstream error reaches the SDK as an error', async () => {
    upstream.setHandler(replayFixture('error-overloaded-midstream'));
    const stream = client.messages.stream({ model: 'claude-sonnet-4-5-20250929', max_tokens: 10, messages: [{ role: 'user', content: 'hi' }] });
    await expect(stream.finalMessage()).rejects.toMatchObject({ error: { type: 'error', error: { type: 'overloaded_error' } } });
    const [row] = await mixroute.ledger();
    expect(row).toMatchObject({ stream: true, outcome: 'stream_error', errorType: 'overloaded_error' });
  });

  it('a wrong key is refused with authentication_error before any upstream call', async () => {
    const stranger = new Client({ apiKey: 'sk-not-a-key-000000000000', baseURL: mixroute.url, maxRetries: 0 });
    await expect(stranger.messages.create({ model: 'claude-sonnet-4-5-20250929', max_tokens: 5, messages: [{ role: 'user', content: 'x' }] })).rejects.toBeInstanceOf(
      Client.AuthenticationError,
    );
    expect(upstream.messagesRequests()).toHaveLength(0);
  });
});

/**
 * Routing and resilience with the official SDK as the client (maxRetries 0, so
 * only mixroute's failover can save a request): failover before the first
 * byte, non-retryable errors, exhausted targets, cool-downs, breakers, session
 * affinity, the thinking-signature retry, mid-stream failures and pings.
 */
import Anthropic from '@anthropic-ai/sdk';
import { afterEach, beforeAll, afterAll, describe, expect, it } from 'vitest';
import {
  delayBeforeHeaders,
  readStreamFixture,
  replayError,
  replayFixture,
  resetAfterBytes,
  stallMidStream,
  startFakeAnthropicUpstream,
  type FakeHandler,
  type FakeUpstream,
} from '../support/fake-anthropic-upstream.js';
import { ALICE_KEY, startTestGateway, type TestGateway } from '../support/start-test-gateway.js';

let primary: FakeUpstream;
let secondary: FakeUpstream;
let mixroute: TestGateway | undefined;

beforeAll(async () => {
  primary = await startFakeAnthropicUpstream();
  secondary = await startFakeAnthropicUpstream();
});
afterAll(async () => {
  await primary?.close();
  await secondary?.close();
});
afterEach(async () => {
  await mixroute?.close();
  mixroute = undefined;
  primary.reset();
  secondary.reset();
});

async function gateway(options: { primaryKeys?: string[]; routing?: Record<string, unknown>; sameWeight?: boolean; firstByteMs?: number } = {}) {
  mixroute = await startTestGateway({
    upstreamUrl: primary.url,
    config: {
      routing: { ping_interval_ms: 200, ...options.routing },
      channels: [
        {
          name: 'primary',
          type: 'anthropic',
          base_url: primary.url,
          api_keys: options.primaryKeys ?? ['sk-primary-1'],
          models: ['claude-*'],
          priority: options.sameWeight ? 0 : 10,
          timeouts: { first_byte_ms: options.firstByteMs ?? 5_000, idle_ms: 5_000 },
        },
        { name: 'secondary', type: 'anthropic', base_url: secondary.url, api_key: 'sk-secondary-1', models: ['claude-*'], priority: 0 },
      ],
    },
  });
  return new Anthropic({ apiKey: ALICE_KEY, baseURL: mixroute.url, maxRetries: 0 });
}

const ask = (client: Anthropic, extra: Partial<Anthropic.MessageCreateParamsNonStreaming> = {}, options?: Anthropic.RequestOptions) =>
  client.messages.create({ model: 'claude-sonnet-4-5-20250929', max_tokens: 20, messages: [{ role: 'user', content: 'hi' }], ...extra }, options);

/** A bare status with a non-JSON body, as proxies in front of upstreams answer. */
function answerWith(status: number, body: string): FakeHandler {
  return (_request, response) => {
    response.writeHead(status, { 'content-type': 'text/html' });
    response.end(body);
  };
}

const resetBeforeHeaders: FakeHandler = (_request, _response, context) => context.destroySocket();
const streamDiesBeforeFirstByte: FakeHandler = (_request, response, context) => {
  response.writeHead(200, { 'content-type': 'text/event-stream' });
  response.flushHeaders();
  setTimeout(() => context.destroySocket(), 20);
};

describe('failover before the first byte', () => {
  it.each([
    ['429', replayError(429)],
    ['500', replayError(500)],
    ['502', answerWith(502, '<html>bad gateway</html>')],
    ['503', answerWith(503, 'unavailable')],
    ['504', answerWith(504, '')],
    ['529', replayError(529)],
    ['401 (the channel credential)', replayError(401)],
    ['403 (the channel credential)', replayError(403)],
    ['a connection reset before the headers', resetBeforeHeaders],
    ['a stream that dies before its first byte', streamDiesBeforeFirstByte],
  ])('%s moves the request to the next target without the client noticing', async (_label, failure) => {
    const client = await gateway();
    primary.setHandler(failure);
    const stream = _label.startsWith('a stream');
    const message = stream
      ? await client.messages.stream({ model: 'claude-sonnet-4-5-20250929', max_tokens: 20, messages: [{ role: 'user', content: 'hi' }] }).finalMessage()
      : await ask(client);
    expect(message.usage.output_tokens).toBeGreaterThan(0);
    expect(primary.messagesRequests()).toHaveLength(1);
    expect(secondary.messagesRequests()).toHaveLength(1);
    expect(secondary.messagesRequests()[0]!.headers['x-api-key']).toBe('sk-secondary-1');
    const [row] = await mixroute!.ledger();
    expect(row).toMatchObject({ channelName: 'secondary', outcome: 'ok', status: 200 });
  });

  it('a timeout before the first byte fails over too', async () => {
    const client = await gateway({ firstByteMs: 300 });
    primary.setHandler(delayBeforeHeaders(3_000));
    await ask(client);
    expect(secondary.messagesRequests()).toHaveLength(1);
  });

  it.each([400, 404, 413])('%i comes back as it is, without trying another target', async (status) => {
    const client = await gateway();
    primary.setHandler(replayError(status));
    const error = (await ask(client).catch((caught: unknown) => caught)) as InstanceType<typeof Anthropic.APIError>;
    expect(error.status).toBe(status);
    expect(secondary.messagesRequests()).toHaveLength(0);
  });

  it('when every target fails, the last upstream error comes back unchanged with its retry-after, and no target is tried twice', async () => {
    const client = await gateway({ primaryKeys: ['sk-primary-1', 'sk-primary-2'], routing: { max_attempts: 5 } });
    primary.setHandler(replayError(500));
    secondary.setHandler(replayError(529, { headers: { 'retry-after': '7' } }));
    const error = (await ask(client).catch((caught: unknown) => caught)) as InstanceType<typeof Anthropic.APIError>;
    expect(error.status).toBe(529);
    expect(error.headers?.get('retry-after')).toBe('7');
    expect(error.error).toMatchObject({ type: 'error', error: { type: 'overloaded_error' } });
    // A channel that fails as a whole (500) is not retried with its other credential; each channel once.
    expect(primary.messagesRequests()).toHaveLength(1);
    expect(secondary.messagesRequests()).toHaveLength(1);
  });

  it('max_attempts bounds the targets one request tries', async () => {
    const client = await gateway({ primaryKeys: ['sk-primary-1', 'sk-primary-2'], routing: { max_attempts: 1 } });
    primary.setHandler(replayError(500));
    const error = (await ask(client).catch((caught: unknown) => caught)) as InstanceType<typeof Anthropic.APIError>;
    expect(error.status).toBe(500);
    expect(primary.messagesRequests()).toHaveLength(1);
    expect(secondary.messagesRequests()).toHaveLength(0);
  });
});

describe('credential health', () => {
  it('a 429 with retry-after cools that credential down for that long', async () => {
    const client = await gateway();
    primary.setHandler(replayError(429, { headers: { 'retry-after': '1' } }));
    await ask(client);
    primary.setHandler(replayFixture('text'));
    await ask(client);
    // Cooling down: the second request went straight to the secondary.
    expect(primary.messagesRequests()).toHaveLength(1);
    expect(secondary.messagesRequests()).toHaveLength(2);
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    await ask(client);
    expect(primary.messagesRequests()).toHaveLength(2);
  });

  it('when every target is cooling down, the client gets a 529 with the retry-after of the soonest one', async () => {
    const client = await gateway();
    primary.setHandler(replayError(429, { headers: { 'retry-after': '20' } }));
    secondary.setHandler(replayError(429, { headers: { 'retry-after': '5' } }));
    expect(((await ask(client).catch((caught: unknown) => caught)) as InstanceType<typeof Anthropic.APIError>).status).toBe(429);
    const error = (await ask(client).catch((caught: unknown) => caught)) as InstanceType<typeof Anthropic.APIError>;
    expect(error.status).toBe(529);
    expect(Number(error.headers?.get('retry-after'))).toBeGreaterThanOrEqual(4);
    expect(Number(error.headers?.get('retry-after'))).toBeLessThanOrEqual(5);
    expect(primary.messagesRequests()).toHaveLength(1);
    expect(secondary.messagesRequests()).toHaveLength(1);
  });

  it('a 429 moves to the same channel\'s next credential (credential-level), a 5xx does not (channel-level)', async () => {
    const client = await gateway({ primaryKeys: ['sk-primary-1', 'sk-primary-2'], routing: { max_attempts: 5 } });
    primary.setHandler((request, response, context) =>
      request.headers['x-api-key'] === 'sk-primary-1' ? replayError(429)(request, response, context) : replayFixture('text')(request, response, context),
    );
    await ask(client);
    expect(primary.messagesRequests().map((request) => request.headers['x-api-key'])).toEqual(['sk-primary-1', 'sk-primary-2']);
    expect(secondary.messagesRequests()).toHaveLength(0);
  });

  it('when the channel credential is refused everywhere, the client gets a 502, not an authentication error about its own key', async () => {
    const client = await gateway();
    primary.setHandler(replayError(401));
    secondary.setHandler(replayError(401));
    const error = (await ask(client).catch((caught: unknown) => caught)) as InstanceType<typeof Anthropic.APIError>;
    expect(error.status).toBe(502);
    expect(error.message).toMatch(/refused the credential of channel/);
  });

  it('a 403 fails over but takes no credential out (it may be about the request)', async () => {
    const client = await gateway();
    primary.setHandler(replayError(403));
    await ask(client);
    primary.setHandler(replayFixture('text'));
    await ask(client);
    expect(primary.messagesRequests()).toHaveLength(2);
    expect(mixroute!.gateway.health.snapshot().credentials).toEqual([]);
  });

  it('a credential answered with 401 is taken out; the channel goes on with its other credential', async () => {
    const client = await gateway({ primaryKeys: ['sk-primary-bad', 'sk-primary-good'] });
    primary.setHandler((request, response, context) =>
      request.headers['x-api-key'] === 'sk-primary-bad' ? replayError(401)(request, response, context) : replayFixture('text')(request, response, context),
    );
    for (let index = 0; index < 4; index++) await ask(client);
    const keys = primary.messagesRequests().map((request) => request.headers['x-api-key']);
    expect(keys.filter((key) => key === 'sk-primary-bad')).toHaveLength(1);
    expect(keys.filter((key) => key === 'sk-primary-good')).toHaveLength(4);
    expect(secondary.messagesRequests()).toHaveLength(0);
    expect(mixroute!.gateway.health.snapshot().credentials).toEqual([expect.objectContaining({ credentialIndex: 0, state: 'disabled', status: 401 })]);
  });
});

describe('circuit breaker', () => {
  it('opens after consecutive failures, lets one trial through after the cool-down, and closes on success', async () => {
    const client = await gateway({ routing: { breaker: { failure_threshold: 2, cool_down_ms: 400 } } });
    primary.setHandler(replayError(500));
    await ask(client);
    await ask(client);
    expect(mixroute!.gateway.health.snapshot().breakers.some((breaker) => breaker.state === 'open')).toBe(true);
    await ask(client);
    expect(primary.messagesRequests()).toHaveLength(2); // open: not tried
    await new Promise((resolve) => setTimeout(resolve, 450));
    primary.setHandler(replayFixture('text'));
    await ask(client);
    expect(primary.messagesRequests()).toHaveLength(3); // the half-open trial
    expect(mixroute!.gateway.health.snapshot().breakers.every((breaker) => breaker.state === 'closed')).toBe(true);
  });
});

describe('session affinity', () => {
  it('keeps a session on the target of its last turn, and moves it cleanly when that target dies', async () => {
    const client = await gateway({ sameWeight: true });
    const session = { headers: { 'x-claude-code-session-id': 'c85e0462-8fd4-4566-8cc2-b4316277aba5' } };
    await ask(client, {}, session);
    const first = primary.messagesRequests().length === 1 ? primary : secondary;
    const other = first === primary ? secondary : primary;
    for (let index = 0; index < 8; index++) await ask(client, {}, session);
    expect(first.messagesRequests()).toHaveLength(9);
    expect(other.messagesRequests()).toHaveLength(0);
    first.setHandler(replayError(529));
    for (let index = 0; index < 3; index++) await ask(client, {}, session);
    // The first of these tried the dead target once, then the session lives on the other one.
    expect(other.messagesRequests()).toHaveLength(3);
    expect(first.messagesRequests()).toHaveLength(10);
  });
});

describe('thinking signatures', () => {
  it('an upstream 400 about an invalid thinking signature is retried once without the earlier thinking', async () => {
    const client = await gateway();
    primary.setHandler((request, response, context) => {
      const hasThinking = JSON.stringify(request.json.messages).includes('"type":"thinking"');
      if (!hasThinking) return replayFixture('text')(request, response, context);
      response.writeHead(400, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ type: 'error', error: { type: 'invalid_request_error', message: 'messages.1.content.0: Invalid `signature` in `thinking` block' } }));
    });
    const message = await ask(client, {
      messages: [
        { role: 'user', content: 'q1' },
        { role: 'assistant', content: [{ type: 'thinking', thinking: 'from another account', signature: 'EqQBCkgIARAB' }, { type: 'text', text: 'a1' }] },
        { role: 'user', content: 'q2' },
      ],
    });
    expect(message.content[0]!.type).toBe('text');
    const [rejected, retried] = primary.messagesRequests();
    expect(rejected!.json.messages[1].content[0].type).toBe('thinking');
    expect(retried!.json.messages[1].content).toEqual([{ type: 'text', text: 'a1' }]);
    expect(secondary.messagesRequests()).toHaveLength(0);
  });
});

describe('after the first byte', () => {
  it('an upstream failure mid-stream reaches the SDK as an error, and no other target is tried', async () => {
    const client = await gateway();
    primary.setHandler(resetAfterBytes('text', 900));
    const stream = client.messages.stream({ model: 'claude-sonnet-4-5-20250929', max_tokens: 20, messages: [{ role: 'user', content: 'hi' }] });
    await expect(stream.finalMessage()).rejects.toMatchObject({ error: { error: { type: 'api_error' } } });
    expect(secondary.messagesRequests()).toHaveLength(0);
    const [row] = await mixroute!.ledger();
    expect(row).toMatchObject({ channelName: 'primary', outcome: 'stream_error', inputTokens: 12 });
  });

  it('a committed stream gone silent gets ping events, then finishes normally', async () => {
    const client = await gateway();
    primary.setHandler(stallMidStream('text', { afterEvents: 3, stallMs: 700, then: 'resume' }));
    const response = await fetch(`${mixroute!.url}/v1/messages`, {
      method: 'POST',
      headers: { 'x-api-key': ALICE_KEY, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'claude-sonnet-4-5-20250929', max_tokens: 20, stream: true, messages: [{ role: 'user', content: 'hi' }] }),
    });
    const text = await response.text();
    const ping = 'event: ping\ndata: {"type": "ping"}\n\n';
    const added = text.split(ping).length - readStreamFixture('text').toString().split(ping).length;
    // 700 ms of silence at a 200 ms interval: two or three pings, depending on timer granularity.
    expect(added).toBeGreaterThanOrEqual(2);
    expect(text.trimEnd().endsWith('data: {"type":"message_stop"}')).toBe(true);
    expect(client).toBeDefined();
  });
});

describe('capability-aware selection', () => {
  it('sends a request only to targets able to serve it, and names what is missing when none is', async () => {
    mixroute = await startTestGateway({
      upstreamUrl: primary.url,
      config: {
        channels: [
          { name: 'text-only', type: 'anthropic', base_url: primary.url, api_key: 'sk-p', models: ['claude-*'], priority: 10, capabilities: { images: false, server_tools: [] } },
          { name: 'full', type: 'anthropic', base_url: secondary.url, api_key: 'sk-s', models: ['claude-*'], capabilities: { server_tools: [] } },
        ],
      },
    });
    const client = new Anthropic({ apiKey: ALICE_KEY, baseURL: mixroute.url, maxRetries: 0 });
    const png = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==';
    await ask(client);
    await ask(client, { messages: [{ role: 'user', content: [{ type: 'image', source: { type: 'base64', media_type: 'image/png', data: png } }, { type: 'text', text: '?' }] }] });
    expect(primary.messagesRequests()).toHaveLength(1);
    expect(secondary.messagesRequests()).toHaveLength(1);
    const refused = (await ask(client, { tools: [{ type: 'web_search_20250305', name: 'web_search', max_uses: 1 }] }).catch((caught: unknown) => caught)) as InstanceType<typeof Anthropic.APIError>;
    expect(refused).toBeInstanceOf(Anthropic.BadRequestError);
    expect(refused.message).toContain('channel text-only lacks server tool web_search');
    expect(refused.message).toContain('channel full lacks server tool web_search');
  });
});

describe('total timeout', () => {
  it('a channel total_ms ends a committed stream that runs too long with an error event', async () => {
    mixroute = await startTestGateway({
      upstreamUrl: primary.url,
      config: { channels: [{ name: 'bounded', type: 'anthropic', base_url: primary.url, api_key: 'sk-p', models: ['claude-*'], timeouts: { total_ms: 400 } }] },
    });
    primary.setHandler(stallMidStream('text', { afterEvents: 3, stallMs: 5_000 }));
    const started = Date.now();
    const response = await fetch(`${mixroute.url}/v1/messages`, {
      method: 'POST',
      headers: { 'x-api-key': ALICE_KEY, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'claude-sonnet-4-5-20250929', max_tokens: 20, stream: true, messages: [{ role: 'user', content: 'hi' }] }),
    });
    const text = await response.text();
    expect(Date.now() - started).toBeLessThan(3_000);
    expect(text).toContain('event: error');
    expect(text).toContain('exceeded its total time of 400 ms');
  });
});

describe('metrics', () => {
  it('GET /metrics shows requests by outcome, tokens, cost and each channel breaker state', async () => {
    const client = await gateway({ routing: { breaker: { failure_threshold: 1, cool_down_ms: 60_000 } } });
    primary.setHandler(replayError(500));
    await ask(client);
    const text = await (await fetch(`${mixroute!.url}/metrics`)).text();
    expect(text).toMatch(/mixroute_upstream_breaker_state\{channel="primary"\} 2/);
    expect(text).toMatch(/mixroute_requests_total\{dialect="anthropic",endpoint="messages",channel="secondary",outcome="ok",status="200"\} 1/);
    expect(text).toMatch(/mixroute_tokens_total\{channel="secondary",type="output"\} 29/);
    expect(text).toMatch(/mixroute_cost_nano_usd_total\{channel="secondary"\} 471000/);
    expect(text).toMatch(/mixroute_request_duration_seconds_count\{dialect="anthropic",stream="false"\} 1\n/);
    expect(text).toMatch(/mixroute_time_to_first_byte_seconds_count\{dialect="anthropic",stream="false"\} 1\n/);
    expect(text).toContain('mixroute_process_resident_memory_bytes');
  });
});

describe('malformed upstream streams', () => {
  it('garbage from an OpenAI-compatible upstream never takes the gateway down: it fails over before the first byte, and ends the stream with an error after it', async () => {
    const { startFakeOpenAIUpstream } = await import('../support/fake-openai-upstream.js');
    const broken = await startFakeOpenAIUpstream();
    try {
      mixroute = await startTestGateway({
        upstreamUrl: primary.url,
        config: {
          channels: [
            { name: 'broken', type: 'openai', base_url: broken.baseUrl, api_key: 'sk-o', models: ['claude-*'], priority: 10, headers: { 'X-Org-Id': 'org-42' } },
            { name: 'healthy', type: 'anthropic', base_url: secondary.url, api_key: 'sk-s', models: ['claude-*'] },
          ],
        },
      });
      const client = new Anthropic({ apiKey: ALICE_KEY, baseURL: mixroute.url, maxRetries: 0 });
      broken.setChatHandler((_request, response) => {
        response.writeHead(200, { 'content-type': 'text/event-stream' });
        response.end('data: this is not json\n\ndata: {"choices":[null]}\n\n');
      });
      const message = await client.messages.stream({ model: 'claude-sonnet-4-5-20250929', max_tokens: 20, messages: [{ role: 'user', content: 'hi' }] }).finalMessage();
      expect(message.usage.output_tokens).toBeGreaterThan(0);
      expect(secondary.messagesRequests()).toHaveLength(1);
      // The channel's extra headers went with the request.
      expect(broken.chatRequests()[0]!.headers['x-org-id']).toBe('org-42');

      broken.setChatHandler((_request, response) => {
        response.writeHead(200, { 'content-type': 'text/event-stream' });
        response.write('data: {"id":"c","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":{"role":"assistant","content":"Hel"},"finish_reason":null}]}\n\n');
        setTimeout(() => response.end('data: {broken\n\n'), 50);
      });
      const stream = client.messages.stream({ model: 'claude-sonnet-4-5-20250929', max_tokens: 20, messages: [{ role: 'user', content: 'hi' }] });
      await expect(stream.finalMessage()).rejects.toMatchObject({ error: { error: { type: 'api_error' } } });
      expect((await fetch(`${mixroute.url}/health`)).status).toBe(200);
    } finally {
      await broken.close();
    }
  });
});

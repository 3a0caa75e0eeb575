/**
 * Bad input and failing upstreams: every case gets the right status and
 * Anthropic's error envelope with a request id, nothing crashes, and the
 * ledger has a consistent row for each request.
 */
import { createServer } from 'node:net';
import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  delayBeforeHeaders,
  replayFixture,
  resetAfterBytes,
  stallMidStream,
  startFakeAnthropicUpstream,
  type FakeUpstream,
} from '../support/fake-anthropic-upstream.js';
import { ALICE_KEY, BOB_KEY, CHANNEL_KEY, startTestGateway, type TestGateway } from '../support/start-test-gateway.js';

let upstream: FakeUpstream;
let mixroute: TestGateway;
let closedPort: number;

async function findClosedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

beforeAll(async () => {
  upstream = await startFakeAnthropicUpstream();
  closedPort = await findClosedPort();
  mixroute = await startTestGateway({
    upstreamUrl: upstream.url,
    config: {
      server: { max_body_bytes: 64 * 1024 },
      channels: [
        { name: 'main', type: 'anthropic', base_url: upstream.url, api_key: CHANNEL_KEY, models: ['claude-*'] },
        { name: 'down', type: 'anthropic', base_url: `http://127.0.0.1:${closedPort}`, api_key: CHANNEL_KEY, models: ['down-model'] },
        {
          name: 'slow',
          type: 'anthropic',
          base_url: upstream.url,
          api_key: CHANNEL_KEY,
          models: ['slow-model'],
          timeouts: { first_byte_ms: 300, idle_ms: 300 },
        },
        { name: 'off', type: 'anthropic', base_url: upstream.url, api_key: CHANNEL_KEY, models: ['off-model'], enabled: false },
        // No count_tokens endpoint on an OpenAI channel: mixroute counts locally.
        { name: 'openai', type: 'openai', base_url: `${upstream.url}/v1`, api_key: CHANNEL_KEY, models: ['counted-locally'] },
      ],
    },
  });
});
afterAll(async () => {
  await mixroute?.close();
  await upstream?.close();
});
beforeEach(() => upstream.reset());

async function post(body: string | Buffer, headers: Record<string, string> = { 'x-api-key': ALICE_KEY }, path = '/v1/messages') {
  const response = await fetch(mixroute.url + path, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'anthropic-version': '2023-06-01', ...headers },
    body,
  });
  const text = await response.text();
  return { response, text, json: safeJson(text) };
}

function safeJson(text: string): any {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

async function expectEnvelope(result: Awaited<ReturnType<typeof post>>, status: number, type: string, message?: RegExp) {
  expect(result.response.status, result.text).toBe(status);
  expect(result.response.headers.get('content-type')).toBe('application/json');
  const requestId = result.response.headers.get('request-id');
  expect(requestId).toMatch(/^req_mr/);
  expect(result.json).toEqual({ type: 'error', error: { type, message: expect.any(String) }, request_id: requestId });
  if (message) expect(result.json.error.message).toMatch(message);
  const rows = await mixroute.ledger();
  const row = rows.find((entry) => entry.id === requestId);
  expect(row, 'ledger row for the refused request').toBeDefined();
  expect(row).toMatchObject({ status, outcome: 'gateway_error', errorType: type });
  return row!;
}

const valid = JSON.stringify({ model: 'claude-sonnet-4-5-20250929', max_tokens: 10, messages: [{ role: 'user', content: 'hi' }] });

describe('malformed requests', () => {
  it('malformed JSON → 400 invalid_request_error', async () => {
    await expectEnvelope(await post('{"model": "claude-sonnet-4-5-20250929", '), 400, 'invalid_request_error', /not valid JSON/);
  });

  it.each([
    ['an array', '[1,2]', /must be a JSON object, got an array/],
    ['a string', '"hello"', /got string/],
    ['null', 'null', /got null/],
    ['an empty body', '', /empty/],
    ['no model', '{"max_tokens":10,"messages":[]}', /model: Field required/],
    ['a numeric model', '{"model":42}', /model: Input should be a valid string/],
    ['a non-boolean stream', '{"model":"claude-sonnet-4-5-20250929","stream":"yes"}', /stream/],
  ])('%s → 400 invalid_request_error', async (_label, body, message) => {
    await expectEnvelope(await post(body), 400, 'invalid_request_error', message);
    expect(upstream.messagesRequests()).toHaveLength(0);
  });

  describe('count_tokens counted locally (OpenAI channel): a body of the wrong shape', () => {
    it.each([
      ['messages as a string', { messages: 'hi' }, /^messages: Input should be a valid list$/],
      ['messages as a number', { messages: 5 }, /^messages: Input should be a valid list$/],
      ['a null message', { messages: [null] }, /^messages\.0: Input should be a valid dictionary$/],
      ['numeric content', { messages: [{ role: 'user', content: 5 }] }, /^messages\.0\.content: Input should be a valid string or a list of content blocks$/],
      ['numeric system', { messages: [{ role: 'user', content: 'hi' }], system: 7 }, /^system: Input should be a valid string or a list of text blocks$/],
      ['tools as a string', { messages: [{ role: 'user', content: 'hi' }], tools: 'x' }, /^tools: Input should be a valid list$/],
      ['tools as a number', { messages: [{ role: 'user', content: 'hi' }], tools: 5 }, /^tools: Input should be a valid list$/],
    ])('%s → 400 invalid_request_error naming the field', async (_label, fields, message) => {
      const row = await expectEnvelope(await post(JSON.stringify({ model: 'counted-locally', ...fields }), undefined, '/v1/messages/count_tokens'), 400, 'invalid_request_error', message);
      expect(row).toMatchObject({ endpoint: 'count_tokens' });
      expect(upstream.requests).toHaveLength(0);
    });

    it('a well-formed body is still counted', async () => {
      const result = await post(JSON.stringify({ model: 'counted-locally', system: 'Be brief.', messages: [{ role: 'user', content: 'hi' }] }), undefined, '/v1/messages/count_tokens');
      expect(result.response.status).toBe(200);
      expect(result.response.headers.get('x-mixroute-token-count')).toBe('estimate');
      expect(result.json.input_tokens).toBeGreaterThan(0);
    });
  });

  it('a body over the limit (declared length) → 413 request_too_large, not read', async () => {
    const big = JSON.stringify({ model: 'claude-sonnet-4-5-20250929', max_tokens: 1, messages: [{ role: 'user', content: 'x'.repeat(70 * 1024) }] });
    await expectEnvelope(await post(big), 413, 'request_too_large');
  });

  it('a chunked body over the limit → 413 request_too_large', async () => {
    const status = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const request = httpRequest(
        `${mixroute.url}/v1/messages`,
        { method: 'POST', headers: { 'x-api-key': ALICE_KEY, 'content-type': 'application/json', 'transfer-encoding': 'chunked' } },
        (response) => {
          let body = '';
          response.on('data', (chunk) => (body += chunk));
          response.on('end', () => resolve({ status: response.statusCode!, body }));
        },
      );
      request.on('error', reject);
      request.write('{"model":"claude-sonnet-4-5-20250929","messages":[{"role":"user","content":"');
      const chunk = 'y'.repeat(16 * 1024);
      let sent = 0;
      const pump = () => {
        while (sent < 8) {
          sent++;
          if (!request.write(chunk)) return request.once('drain', pump);
        }
        request.end('"}]}');
      };
      pump();
    });
    expect(status.status).toBe(413);
    expect(JSON.parse(status.body).error.type).toBe('request_too_large');
  });

  it('unknown path → 404 not_found_error; wrong method → 405', async () => {
    const unknown = await fetch(`${mixroute.url}/v1/nothing`, { headers: { 'x-api-key': ALICE_KEY } });
    expect(unknown.status).toBe(404);
    expect(((await unknown.json()) as any).error.type).toBe('not_found_error');
    const wrongMethod = await fetch(`${mixroute.url}/v1/messages`, { headers: { 'x-api-key': ALICE_KEY } });
    expect(wrongMethod.status).toBe(405);
    expect(((await wrongMethod.json()) as any).error.type).toBe('invalid_request_error');
  });
});

describe('keys', () => {
  it('a missing key → 401 authentication_error', async () => {
    await expectEnvelope(await post(valid, {}), 401, 'authentication_error', /x-api-key header is required/);
  });

  it('an unknown key (x-api-key or Bearer) → 401', async () => {
    await expectEnvelope(await post(valid, { 'x-api-key': 'sk-unknown-0000000000000000' }), 401, 'authentication_error', /invalid x-api-key/);
    await expectEnvelope(await post(valid, { authorization: 'Bearer sk-unknown-0000000000000000' }), 401, 'authentication_error');
  });

  it('a key revoked while the server runs is refused within the reload interval', async () => {
    expect((await post(valid, { authorization: `Bearer ${BOB_KEY}` })).response.status).toBe(200);
    expect(await mixroute.gateway.storage.apiKeys.revoke('bob')).toBe(true);
    const deadline = Date.now() + 5_000;
    let result = await post(valid, { authorization: `Bearer ${BOB_KEY}` });
    while (result.response.status === 200 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      result = await post(valid, { authorization: `Bearer ${BOB_KEY}` });
    }
    await expectEnvelope(result, 401, 'authentication_error', /revoked/);
  });
});

describe('routing', () => {
  it('an unknown model → 404 not_found_error naming it', async () => {
    await expectEnvelope(await post(JSON.stringify({ model: 'gpt-4o', max_tokens: 1, messages: [] })), 404, 'not_found_error', /model: gpt-4o/);
  });

  it('a model served only by a disabled channel → 503', async () => {
    await expectEnvelope(await post(JSON.stringify({ model: 'off-model', max_tokens: 1, messages: [] })), 503, 'api_error', /No enabled channel/);
  });
});

describe('failing upstreams', () => {
  it('upstream down → 529 overloaded_error naming the failure', async () => {
    const row = await expectEnvelope(await post(JSON.stringify({ model: 'down-model', max_tokens: 1, messages: [] })), 529, 'overloaded_error', /unreachable \(ECONNREFUSED/);
    expect(row.channelName).toBe('down');
  });

  it('upstream silent past the first-byte timeout → 529 overloaded_error naming the timeout', async () => {
    upstream.setHandler(delayBeforeHeaders(3_000));
    await expectEnvelope(await post(JSON.stringify({ model: 'slow-model', max_tokens: 1, messages: [] })), 529, 'overloaded_error', /did not answer in time/);
  });

  it('a stream that stalls past the idle timeout ends with an error event', async () => {
    upstream.setHandler(stallMidStream('text', { afterEvents: 3, stallMs: 3_000 }));
    const result = await post(JSON.stringify({ model: 'slow-model', max_tokens: 1, stream: true, messages: [] }));
    expect(result.response.status).toBe(200);
    expect(result.text).toContain('event: message_start');
    expect(result.text.trimEnd().split('\n\n').at(-1)).toMatch(/^event: error\ndata: \{"type":"error","error":\{"type":"api_error"/);
    const rows = await mixroute.ledger();
    expect(rows.find((row) => row.id === result.response.headers.get('x-mixroute-request-id'))).toMatchObject({ outcome: 'stream_error', status: 200, inputTokens: 12 });
  });

  it('an upstream connection reset mid-stream → whole events, then an error event', async () => {
    upstream.setHandler(resetAfterBytes('text', 700));
    const result = await post(JSON.stringify({ model: 'claude-sonnet-4-5-20250929', max_tokens: 1, stream: true, messages: [] }));
    expect(result.response.status).toBe(200);
    const events = result.text.split('\n\n').filter(Boolean);
    for (const event of events) expect(event).toMatch(/^event: \w+\ndata: \{.*\}$/s);
    expect(events.at(-1)).toContain('event: error');
    const row = (await mixroute.ledger()).find((entry) => entry.id === result.response.headers.get('x-mixroute-request-id'));
    expect(row).toMatchObject({ outcome: 'stream_error', errorType: 'api_error', inputTokens: 12 });
  });

  it('a client that disconnects mid-stream aborts the upstream request; the ledger keeps what was delivered', async () => {
    upstream.setHandler(stallMidStream('text', { afterEvents: 3, stallMs: 10_000 }));
    const controller = new AbortController();
    const response = await fetch(`${mixroute.url}/v1/messages`, {
      method: 'POST',
      headers: { 'x-api-key': ALICE_KEY, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'claude-sonnet-4-5-20250929', max_tokens: 1, stream: true, messages: [] }),
      signal: controller.signal,
    });
    const requestId = response.headers.get('x-mixroute-request-id');
    const reader = response.body!.getReader();
    const first = await reader.read();
    expect(Buffer.from(first.value!).toString()).toContain('message_start');
    controller.abort();
    const received = upstream.messagesRequests()[0]!;
    expect(await received.outcome).toBe('client-aborted');
    const deadline = Date.now() + 3_000;
    let row;
    while (!row && Date.now() < deadline) {
      row = (await mixroute.ledger()).find((entry) => entry.id === requestId);
      if (!row) await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(row).toMatchObject({ outcome: 'client_aborted', status: 200, stream: true, inputTokens: 12 });
  });
});

describe('after all of it', () => {
  it('the server still answers, and every request above has exactly one ledger row', async () => {
    const health = await fetch(`${mixroute.url}/health`);
    expect(health.status).toBe(200);
    const ok = await post(valid);
    expect(ok.response.status).toBe(200);
    const rows = await mixroute.ledger();
    expect(new Set(rows.map((row) => row.id)).size).toBe(rows.length);
    expect(rows.length).toBeGreaterThanOrEqual(20);
  });

  it('HEAD / answers at once without a key', async () => {
    const response = await fetch(mixroute.url, { method: 'HEAD' });
    expect(response.status).toBe(200);
  });
});

describe('the usage tap on replayed fixtures', () => {
  it('meters the cache-write stream from the last cumulative values', async () => {
    upstream.setHandler(replayFixture('prompt-cache-write'));
    const result = await post(JSON.stringify({ model: 'claude-sonnet-5', max_tokens: 100, stream: true, messages: [] }));
    expect(result.response.status).toBe(200);
    const row = (await mixroute.ledger()).find((entry) => entry.id === result.response.headers.get('x-mixroute-request-id'));
    expect(row).toMatchObject({ outcome: 'ok', cacheWrite5mTokens: 3337, cacheReadTokens: 6289, upstreamModel: 'claude-sonnet-5' });
  });
});

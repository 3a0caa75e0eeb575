/**
 * Every request of the seed's examples (test/fixtures/anthropic/request)
 * through mixroute, streaming and not: the upstream receives the client's
 * bytes, the client receives the upstream's bytes.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { FIXTURES_DIR, choose, readResponseFixture, readStreamFixture, replayFixture, startFakeAnthropicUpstream, type FakeUpstream } from '../support/fake-anthropic-upstream.js';
import { ALICE_KEY, CHANNEL_KEY, startTestGateway, type TestGateway } from '../support/start-test-gateway.js';

const REQUEST_DIR = join(FIXTURES_DIR, 'anthropic/request');
const seeds = readdirSync(REQUEST_DIR).filter((name) => name.endsWith('.json'));

/** The recording that fits what the request asks for. */
function fixtureFor(body: any): string {
  if (body?.thinking) return 'thinking-signature-text';
  if (body?.tools?.some((tool: any) => String(tool.type ?? '').startsWith('web_search'))) return 'web-search-citations';
  if (body?.tools) return 'tool-use';
  return 'text';
}

let upstream: FakeUpstream;
let mixroute: TestGateway;

beforeAll(async () => {
  upstream = await startFakeAnthropicUpstream({ handler: choose((request) => replayFixture(fixtureFor(request.json))) });
  mixroute = await startTestGateway({ upstreamUrl: upstream.url });
});
afterAll(async () => {
  await mixroute?.close();
  await upstream?.close();
});
beforeEach(() => upstream.reset());

async function send(body: Buffer, headers: Record<string, string> = {}) {
  const response = await fetch(`${mixroute.url}/v1/messages?beta=true`, {
    method: 'POST',
    headers: { authorization: `Bearer ${ALICE_KEY}`, 'content-type': 'application/json', 'anthropic-version': '2023-06-01', ...headers },
    body,
  });
  return { response, bytes: Buffer.from(await response.arrayBuffer()) };
}

describe.each(seeds)('%s', (seed) => {
  const original = readFileSync(join(REQUEST_DIR, seed));
  const parsed = JSON.parse(original.toString());

  it.each([true, false])('stream=%s: relayed byte for byte in both directions', async (stream) => {
    // The file as recorded when its own stream flag matches; otherwise the same request with the flag set.
    const body = Boolean(parsed.stream) === stream ? original : Buffer.from(JSON.stringify({ ...parsed, stream }));
    const { response, bytes } = await send(body);
    expect(response.status, bytes.toString()).toBe(200);
    const received = upstream.messagesRequests()[0]!;
    expect(received.body.equals(body)).toBe(true);
    expect(received.url).toBe('/v1/messages?beta=true');
    const fixture = fixtureFor(parsed);
    const expected = stream ? readStreamFixture(fixture) : readResponseFixture(fixture);
    expect(bytes.equals(expected)).toBe(true);
    expect(response.headers.get('content-type')).toBe(stream ? 'text/event-stream; charset=utf-8' : 'application/json');
    const row = (await mixroute.ledger()).find((entry) => entry.id === response.headers.get('x-mixroute-request-id'));
    expect(row).toMatchObject({ status: 200, outcome: 'ok', stream, clientModel: parsed.model });
    expect(row!.inputTokens).toBeGreaterThan(0);
  });
});

describe('model names', () => {
  it('a renamed model: only the model value changes on the way up', async () => {
    const body = Buffer.from('{"model" : "house-model","max_tokens":1.0e1,"messages":[{"role":"user","content":"caf\\u00e9"}]}');
    const { response } = await send(body);
    expect(response.status).toBe(200);
    const received = upstream.messagesRequests()[0]!;
    expect(received.body.toString()).toBe(body.toString().replace('"house-model"', '"claude-sonnet-4-5-20250929"'));
    const row = (await mixroute.ledger()).find((entry) => entry.id === response.headers.get('x-mixroute-request-id'));
    expect(row).toMatchObject({ clientModel: 'house-model', upstreamModel: 'claude-sonnet-4-5-20250929' });
  });

  it('a [1m] suffix routes the base name and adds the 1M-context beta once', async () => {
    const body = Buffer.from(JSON.stringify({ model: 'claude-opus-4-8[1m]', max_tokens: 5, messages: [{ role: 'user', content: 'hi' }] }));
    await send(body, { 'anthropic-beta': 'claude-code-20250219' });
    const received = upstream.messagesRequests()[0]!;
    expect(received.json.model).toBe('claude-opus-4-8');
    expect(received.headers['anthropic-beta']).toBe('claude-code-20250219,context-1m-2025-08-07');
    upstream.reset();
    await send(body, { 'anthropic-beta': 'context-1m-2025-08-07' });
    expect(upstream.messagesRequests()[0]!.headers['anthropic-beta']).toBe('context-1m-2025-08-07');
  });

  it('Claude Code model names and haiku side-task names are served by a claude-* channel', async () => {
    for (const model of ['claude-opus-4-8', 'claude-sonnet-5', 'claude-haiku-4-5-20251001', 'claude-opus-4-5-20251101']) {
      const { response } = await send(Buffer.from(JSON.stringify({ model, max_tokens: 5, messages: [{ role: 'user', content: 'hi' }] })));
      expect(response.status, model).toBe(200);
    }
  });
});

describe('headers', () => {
  it('forwards anthropic-* and x-claude-code-* headers, drops hop-by-hop ones, and streams by body.stream, not Accept', async () => {
    const body = Buffer.from(JSON.stringify({ model: 'claude-sonnet-4-5-20250929', max_tokens: 5, stream: true, messages: [{ role: 'user', content: 'hi' }] }));
    // node:http, because fetch refuses to send Connection and Keep-Alive headers.
    const { headers, bytes } = await new Promise<{ headers: IncomingHttpHeaders; bytes: Buffer }>((resolve, reject) => {
      const request = httpRequest(
        `${mixroute.url}/v1/messages?beta=true`,
        {
          method: 'POST',
          headers: {
            'x-api-key': ALICE_KEY,
            'content-type': 'application/json',
            'anthropic-version': '2023-06-01',
            accept: 'application/json',
            'anthropic-beta': 'a-beta,b-beta',
            'anthropic-dangerous-direct-browser-access': 'true',
            'x-claude-code-session-id': 'c85e0462-8fd4-4566-8cc2-b4316277aba5',
            'x-app': 'cli',
            'keep-alive': 'timeout=5',
            'x-drop-me': 'no',
            connection: 'keep-alive, x-drop-me',
          },
        },
        (response) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('end', () => resolve({ headers: response.headers, bytes: Buffer.concat(chunks) }));
        },
      );
      request.on('error', reject);
      request.end(body);
    });
    expect(headers['content-type']).toMatch(/^text\/event-stream/);
    expect(bytes.equals(readStreamFixture('text'))).toBe(true);
    const received = upstream.messagesRequests()[0]!;
    expect(received.headers).toMatchObject({
      accept: 'application/json',
      'anthropic-version': '2023-06-01',
      'anthropic-beta': 'a-beta,b-beta',
      'anthropic-dangerous-direct-browser-access': 'true',
      'x-claude-code-session-id': 'c85e0462-8fd4-4566-8cc2-b4316277aba5',
      'x-app': 'cli',
      'x-api-key': CHANNEL_KEY,
    });
    expect(received.headers['keep-alive']).toBeUndefined();
    expect(received.headers['x-drop-me']).toBeUndefined();
    const row = (await mixroute.ledger()).find((entry) => entry.id === headers['x-mixroute-request-id']);
    expect(row!.sessionId).toBe('c85e0462-8fd4-4566-8cc2-b4316277aba5');
  });
});

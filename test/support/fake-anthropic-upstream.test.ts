import { request } from 'node:http';
import type { IncomingHttpHeaders } from 'node:http';
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import {
  buildAnthropicMessage,
  buildAnthropicSse,
  createToolRoundTrip,
  delayBeforeHeaders,
  extractSseText,
  fakeTokenCount,
  parseSseEvents,
  readErrorFixture,
  readResponseFixture,
  readStreamFixture,
  replayError,
  replayFixture,
  resetAfterBytes,
  sequence,
  stallMidStream,
  startFakeAnthropicUpstream,
  type FakeUpstream,
} from './fake-anthropic-upstream.js';

interface RawResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
  /** Size of each chunk as it arrived. */
  chunks: number[];
  /** Set when the response was cut (socket reset / premature close). */
  error?: Error;
}

/** A tiny node:http client that keeps whatever arrived, even when the connection is cut. */
function send(
  upstream: FakeUpstream,
  path: string,
  body?: unknown,
  options: { method?: string; signal?: AbortSignal; headers?: Record<string, string> } = {},
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
    const req = request(
      `${upstream.url}${path}`,
      {
        method: options.method ?? 'POST',
        headers: { 'content-type': 'application/json', ...options.headers },
        agent: false,
        signal: options.signal,
      },
      (res) => {
        const chunks: Buffer[] = [];
        const done = (error?: Error) =>
          resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks), chunks: chunks.map((c) => c.length), error });
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => done());
        res.on('error', (e) => done(e));
        res.on('aborted', () => done(new Error('aborted')));
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

describe('fake Anthropic upstream', () => {
  let upstream: FakeUpstream;
  beforeAll(async () => {
    upstream = await startFakeAnthropicUpstream();
  });
  afterAll(() => upstream.close());
  beforeEach(() => upstream.reset());

  test('default: replays the text fixture byte for byte, as SSE or JSON, and records the request', async () => {
    const stream = await send(upstream, '/v1/messages?beta=true', { model: 'm', stream: true, messages: [] }, {
      headers: { 'x-api-key': 'k', 'anthropic-version': '2023-06-01' },
    });
    expect(stream.status).toBe(200);
    expect(stream.headers['content-type']).toMatch(/^text\/event-stream/);
    expect(stream.headers['request-id']).toMatch(/^req_fake_/);
    expect(stream.body.equals(readStreamFixture('text'))).toBe(true);

    const json = await send(upstream, '/v1/messages', { model: 'm', messages: [] });
    expect(json.headers['content-type']).toBe('application/json');
    expect(json.body.equals(readResponseFixture('text'))).toBe(true);
    expect(json.headers['request-id']).not.toBe(stream.headers['request-id']);

    const [first, second] = upstream.requests;
    expect(first).toMatchObject({ method: 'POST', url: '/v1/messages?beta=true', path: '/v1/messages', query: { beta: 'true' } });
    expect(first!.headers['x-api-key']).toBe('k');
    expect(first!.json).toEqual({ model: 'm', stream: true, messages: [] });
    expect(first!.body.toString()).toBe('{"model":"m","stream":true,"messages":[]}');
    expect(first!.requestId).toBe(stream.headers['request-id']);
    expect(await first!.outcome).toBe('finished');
    expect(second!.json.stream).toBeUndefined();
    expect(upstream.messagesRequests()).toHaveLength(2);
  });

  test('count_tokens answers a deterministic count; unknown paths get 404; HEAD / gets 200', async () => {
    const body = { model: 'm', messages: [{ role: 'user', content: 'hello' }] };
    const a = await send(upstream, '/v1/messages/count_tokens?beta=true', body);
    const b = await send(upstream, '/v1/messages/count_tokens', body);
    expect(JSON.parse(a.body.toString())).toEqual({ input_tokens: fakeTokenCount(Buffer.from(JSON.stringify(body))) });
    expect(b.body.equals(a.body)).toBe(true);
    expect((await send(upstream, '/v1/nope', {})).status).toBe(404);
    expect((await send(upstream, '/', undefined, { method: 'HEAD' })).status).toBe(200);
    expect(upstream.messagesRequests()).toHaveLength(0);
  });

  test('error replay: fixture body, its status, extra headers', async () => {
    upstream.setHandler(sequence(replayError(429, { headers: { 'retry-after': '1' } }), replayError('529-overloaded_error')));
    const first = await send(upstream, '/v1/messages', { stream: true });
    expect(first.status).toBe(429);
    expect(first.headers['retry-after']).toBe('1');
    expect(first.body.equals(readErrorFixture(429).body)).toBe(true);
    expect(JSON.parse(first.body.toString()).error.type).toBe('rate_limit_error');
    const second = await send(upstream, '/v1/messages', { stream: true });
    expect(second.status).toBe(529);
    expect(JSON.parse(second.body.toString()).error.type).toBe('overloaded_error');
  });

  test('split writes: the stream arrives in several chunks, gated by beforeChunk', async () => {
    const released: number[] = [];
    upstream.setHandler(
      replayFixture('text', {
        split: 'events',
        beforeChunk: async (i) => {
          released.push(i);
          await new Promise((r) => setTimeout(r, 10));
        },
      }),
    );
    const res = await send(upstream, '/v1/messages', { stream: true });
    expect(res.body.equals(readStreamFixture('text'))).toBe(true);
    expect(released.length).toBe(parseSseEvents(readStreamFixture('text')).length);
    expect(res.chunks.length).toBeGreaterThan(1);
  });

  test('reset after N bytes: the client gets exactly N bytes, then the connection is cut', async () => {
    upstream.setHandler(resetAfterBytes('text', 700));
    const res = await send(upstream, '/v1/messages', { stream: true });
    expect(res.status).toBe(200);
    expect(res.error).toBeDefined();
    expect(res.body.equals(readStreamFixture('text').subarray(0, 700))).toBe(true);
    const [req] = upstream.requests;
    expect(await req!.outcome).toBe('server-destroyed');
    expect(req!.clientAborted).toBe(false);
  });

  test('stall mid-stream, then the client aborts: the fake notices', async () => {
    upstream.setHandler(stallMidStream('text', { afterEvents: 2 }));
    const controller = new AbortController();
    const received = new Promise<Buffer>((resolve, reject) => {
      const req = request(`${upstream.url}/v1/messages`, { method: 'POST', agent: false, signal: controller.signal }, (res) => {
        res.once('data', (chunk: Buffer) => resolve(chunk));
      });
      req.on('error', () => undefined);
      req.end(JSON.stringify({ stream: true }));
      setTimeout(() => reject(new Error('no first chunk')), 5_000);
    });
    const first = await received;
    expect(parseSseEvents(first).map((e) => e.event)).toEqual(['message_start', 'content_block_start']);
    const [req] = upstream.requests;
    expect(req!.clientAborted).toBe(false);
    controller.abort();
    expect(await req!.outcome).toBe('client-aborted');
    expect(req!.clientAborted).toBe(true);
  });

  test('delay before headers', async () => {
    upstream.setHandler(delayBeforeHeaders(150));
    const started = Date.now();
    const res = await send(upstream, '/v1/messages', { stream: true });
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
    expect(res.body.equals(readStreamFixture('text'))).toBe(true);
  });

  test('synthetic SSE: event lines, block indices, usage, stop events', () => {
    const sse = buildAnthropicSse({
      blocks: [
        { type: 'text', text: 'Hello there' },
        { type: 'tool_use', id: 'toolu_1', name: 'Bash', input: { command: 'ls' } },
      ],
      usage: { input_tokens: 40, output_tokens: 9 },
    });
    const events = parseSseEvents(sse);
    for (const e of events) expect(e.event).toBe(e.data.type);
    expect(events[0]!.data.message.usage.input_tokens).toBe(40);
    expect(events.filter((e) => e.event === 'content_block_start').map((e) => e.data.index)).toEqual([0, 1]);
    expect(events.filter((e) => e.event === 'content_block_stop').map((e) => e.data.index)).toEqual([0, 1]);
    expect(extractSseText(sse)).toBe('Hello there');
    const json = events
      .filter((e) => e.data.delta?.type === 'input_json_delta')
      .map((e) => e.data.delta.partial_json)
      .join('');
    expect(JSON.parse(json)).toEqual({ command: 'ls' });
    const delta = events.at(-2)!.data;
    expect(delta).toMatchObject({ type: 'message_delta', delta: { stop_reason: 'tool_use' }, usage: { input_tokens: 40, output_tokens: 9 } });
    expect(events.at(-1)!.event).toBe('message_stop');

    const message = buildAnthropicMessage({ blocks: [{ type: 'text', text: 'x' }] });
    expect(message).toMatchObject({ type: 'message', role: 'assistant', stop_reason: 'end_turn', content: [{ type: 'text', text: 'x' }] });
  });

  test('tool round trip handler: tool_use first, final text once the tool_result comes back', async () => {
    const script = createToolRoundTrip({ finalText: (out) => `saw ${out}` });
    upstream.setHandler(script.handler);
    const first = parseSseEvents((await send(upstream, '/v1/messages', { stream: true, messages: [{ role: 'user', content: 'go' }] })).body);
    expect(first.find((e) => e.data.content_block?.type === 'tool_use')!.data.content_block.id).toBe(script.toolUseId);
    const second = await send(upstream, '/v1/messages', {
      messages: [
        { role: 'user', content: 'go' },
        { role: 'assistant', content: [{ type: 'tool_use', id: script.toolUseId, name: 'Bash', input: {} }] },
        { role: 'user', content: [{ type: 'tool_result', tool_use_id: script.toolUseId, content: 'a.txt' }] },
      ],
    });
    expect(JSON.parse(second.body.toString()).content).toEqual([{ type: 'text', text: 'saw a.txt' }]);
    expect(script.toolResults).toEqual([{ content: 'a.txt', is_error: false }]);
  });
});

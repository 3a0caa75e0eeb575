/**
 * OpenAI clients on an Anthropic channel: the official openai SDK calls a
 * running mixroute, which translates to the Messages API for a fake Anthropic
 * upstream replaying recorded Anthropic traffic.
 */
import OpenAI from 'openai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  extractSseText,
  parseSseEvents,
  readResponseFixture,
  readStreamFixture,
  replayError,
  replayFixture,
  startFakeAnthropicUpstream,
  type FakeUpstream,
} from '../support/fake-anthropic-upstream.js';
import { ALICE_KEY, CHANNEL_KEY, startTestGateway, type TestGateway } from '../support/start-test-gateway.js';

const PNG_1X1 = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==';

let upstream: FakeUpstream;
let mixroute: TestGateway;
let client: OpenAI;

beforeAll(async () => {
  upstream = await startFakeAnthropicUpstream();
  mixroute = await startTestGateway({ upstreamUrl: upstream.url });
  client = new OpenAI({ apiKey: ALICE_KEY, baseURL: `${mixroute.url}/v1`, maxRetries: 0 });
});
afterAll(async () => {
  await mixroute?.close();
  await upstream?.close();
});
beforeEach(() => upstream.reset());

function recordedText(name: string): string {
  const message = JSON.parse(readResponseFixture(name).toString());
  return message.content.filter((block: { type: string }) => block.type === 'text').map((block: { text: string }) => block.text).join('');
}

describe('openai SDK → mixroute → Anthropic channel', () => {
  it('create(): a completion with the text, finish reason and usage of the Anthropic message', async () => {
    const completion = await client.chat.completions.create({
      model: 'claude-sonnet-4-5-20250929',
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'Hello' },
      ],
    });
    expect(completion.object).toBe('chat.completion');
    expect(completion.choices[0]!.message.content).toBe(recordedText('text'));
    expect(completion.choices[0]!.finish_reason).toBe('stop');
    expect(completion.usage).toMatchObject({ prompt_tokens: 12, completion_tokens: 29, total_tokens: 41 });
    const received = upstream.messagesRequests()[0]!;
    expect(received.url).toBe('/v1/messages');
    expect(received.headers['x-api-key']).toBe(CHANNEL_KEY);
    expect(received.headers['anthropic-version']).toBe('2023-06-01');
    expect(received.json).toMatchObject({ model: 'claude-sonnet-4-5-20250929', system: [{ type: 'text', text: 'Be brief.' }], messages: [{ role: 'user', content: [{ type: 'text', text: 'Hello' }] }] });
    expect(received.json.max_tokens).toBeGreaterThan(0);
    const [row] = await mixroute.ledger();
    expect(row).toMatchObject({ dialect: 'openai', endpoint: 'chat_completions', stream: false, outcome: 'ok', inputTokens: 12, outputTokens: 29 });
  });

  it('a stream with include_usage: content deltas, a usage chunk and [DONE]', async () => {
    const stream = await client.chat.completions.create({
      model: 'claude-sonnet-4-5-20250929',
      stream: true,
      stream_options: { include_usage: true },
      messages: [{ role: 'user', content: 'Hello' }],
    });
    let text = '';
    let finish: string | null = null;
    let usage: OpenAI.CompletionUsage | undefined;
    for await (const chunk of stream) {
      text += chunk.choices[0]?.delta.content ?? '';
      finish = chunk.choices[0]?.finish_reason ?? finish;
      if (chunk.usage) usage = chunk.usage;
    }
    expect(text).toBe(extractSseText(readStreamFixture('text')));
    expect(finish).toBe('stop');
    expect(usage).toMatchObject({ prompt_tokens: 12, completion_tokens: 30, total_tokens: 42 });
    const raw = await fetch(`${mixroute.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ALICE_KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'claude-sonnet-4-5-20250929', stream: true, messages: [{ role: 'user', content: 'Hello' }] }),
    });
    const body = await raw.text();
    expect(body.trimEnd().endsWith('data: [DONE]')).toBe(true);
    expect(body).not.toContain('"usage":{');
    expect(upstream.messagesRequests().at(-1)!.json.stream).toBe(true);
  });

  it('tools: tool_calls deltas and finish_reason tool_calls from a recorded tool_use stream', async () => {
    upstream.setHandler(replayFixture('tool-use'));
    const runner = client.chat.completions.stream({
      model: 'claude-haiku-4-5-20251001',
      messages: [{ role: 'user', content: 'Give me JSON' }],
      tools: [{ type: 'function', function: { name: 'json', description: 'Respond with JSON', parameters: { type: 'object', properties: {} } } }],
      tool_choice: { type: 'function', function: { name: 'json' } },
    });
    const completion = await runner.finalChatCompletion();
    const call = completion.choices[0]!.message.tool_calls![0]!;
    expect(call.type).toBe('function');
    expect((call as { function: { name: string } }).function.name).toBe('json');
    const recordedArguments = parseSseEvents(readStreamFixture('tool-use'))
      .filter((event) => event.data?.delta?.type === 'input_json_delta')
      .map((event) => event.data.delta.partial_json)
      .join('');
    expect((call as { function: { arguments: string } }).function.arguments).toBe(recordedArguments);
    expect(completion.choices[0]!.finish_reason).toBe('tool_calls');
    const sent = upstream.messagesRequests()[0]!.json;
    expect(sent.tools).toEqual([{ name: 'json', description: 'Respond with JSON', input_schema: { type: 'object', properties: {} } }]);
    expect(sent.tool_choice).toEqual({ type: 'tool', name: 'json' });
  });

  it('tool results and images go up in Anthropic form', async () => {
    await client.chat.completions.create({
      model: 'claude-sonnet-4-5-20250929',
      messages: [
        { role: 'user', content: [{ type: 'text', text: 'What is in the picture, and what is the weather?' }, { type: 'image_url', image_url: { url: `data:image/png;base64,${PNG_1X1}` } }] },
        { role: 'assistant', content: null, tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'weather', arguments: '{"city":"Paris"}' } }] },
        { role: 'tool', tool_call_id: 'call_1', content: 'sunny' },
      ],
      tools: [{ type: 'function', function: { name: 'weather', parameters: { type: 'object', properties: { city: { type: 'string' } } } } }],
    });
    const sent = upstream.messagesRequests()[0]!.json;
    expect(sent.messages).toEqual([
      { role: 'user', content: [{ type: 'text', text: 'What is in the picture, and what is the weather?' }, { type: 'image', source: { type: 'base64', media_type: 'image/png', data: PNG_1X1 } }] },
      { role: 'assistant', content: [{ type: 'tool_use', id: 'call_1', name: 'weather', input: { city: 'Paris' } }] },
      { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'call_1', content: 'sunny' }] },
    ]);
  });

  it('reasoning_effort becomes a thinking budget, and thinking comes back as reasoning_content', async () => {
    upstream.setHandler(replayFixture('thinking-signature-text'));
    const completion = await client.chat.completions.create({ model: 'claude-sonnet-4-5-20250929', reasoning_effort: 'low', messages: [{ role: 'user', content: 'Think.' }] });
    const sent = upstream.messagesRequests()[0]!.json;
    expect(sent.thinking).toEqual({ type: 'enabled', budget_tokens: expect.any(Number) });
    expect(sent.max_tokens).toBeGreaterThan(sent.thinking.budget_tokens);
    expect((completion.choices[0]!.message as unknown as { reasoning_content: string }).reasoning_content.length).toBeGreaterThan(10);
  });

  it('upstream errors keep their status in OpenAI error shape; a stream error ends the stream with an error the SDK throws', async () => {
    upstream.setHandler(replayError(529));
    const overloaded = await client.chat.completions.create({ model: 'claude-sonnet-4-5-20250929', messages: [{ role: 'user', content: 'hi' }] }).catch((error: unknown) => error);
    expect(overloaded).toBeInstanceOf(OpenAI.InternalServerError);
    expect((overloaded as InstanceType<typeof OpenAI.InternalServerError>).status).toBe(529);
    expect((overloaded as InstanceType<typeof OpenAI.InternalServerError>).error).toMatchObject({ type: 'overloaded_error' });

    upstream.setHandler(replayFixture('error-overloaded-midstream'));
    const stream = await client.chat.completions.create({ model: 'claude-sonnet-4-5-20250929', stream: true, messages: [{ role: 'user', content: 'hi' }] });
    await expect(
      (async () => {
        for await (const _chunk of stream) {
          // drain
        }
      })(),
    ).rejects.toThrow(/Overloaded/);
    expect(readStreamFixture('error-overloaded-midstream').toString()).toContain('overloaded_error');
  });
});

describe('malformed requests on a translated path', () => {
  it('valid JSON of the wrong shape gets a 400 in OpenAI shape, not a 500', async () => {
    for (const body of [{ messages: [null] }, { messages: [{ role: 'user', content: 'x' }], tools: 'x' }, { messages: [{ role: 'assistant', tool_calls: [null] }] }]) {
      const response = await fetch(`${mixroute.url}/v1/chat/completions`, {
        method: 'POST',
        headers: { authorization: `Bearer ${ALICE_KEY}`, 'content-type': 'application/json' },
        body: JSON.stringify({ model: 'claude-sonnet-4-5-20250929', ...body }),
      });
      expect(response.status, JSON.stringify(body)).toBe(400);
      expect(((await response.json()) as { error: { type: string } }).error.type).toBe('invalid_request_error');
    }
    expect(upstream.messagesRequests()).toHaveLength(0);
  });
});

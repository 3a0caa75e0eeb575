/**
 * Rate-limit headers in the client's dialect: OpenAI clients (`/v1/chat/completions`) get
 * OpenAI's `x-ratelimit-*` headers and `retry-after`, read through the official openai SDK,
 * whether the channel speaks OpenAI (passthrough) or Anthropic (translated); Anthropic clients
 * keep Anthropic's `anthropic-ratelimit-*` headers.
 */
import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { bothProtocolChannels, startFakeOpenAIUpstream, type FakeOpenAIUpstream } from '../support/fake-openai-upstream.js';
import { CHANNEL_KEY, startTestGateway, type TestGateway } from '../support/start-test-gateway.js';

const THREE_A_MINUTE = 'sk-three-a-minute-01234';
const FEW_TOKENS = 'sk-few-tokens-0123456789';
const ANTHROPIC_CLIENT = 'sk-anthropic-client-0123';
/** OpenAI's duration format: `20ms`, `1s`, `8.64s`, `6m0s`. */
const DURATION = /^(?:\d+ms|(?:\d+h)?(?:\d+m)?\d+(?:\.\d+)?s)$/;

let upstream: FakeOpenAIUpstream;
let mixroute: TestGateway;

beforeAll(async () => {
  upstream = await startFakeOpenAIUpstream();
  mixroute = await startTestGateway({
    upstreamUrl: upstream.url,
    config: {
      channels: bothProtocolChannels(upstream, CHANNEL_KEY),
      keys: [
        { name: 'three-a-minute', key: THREE_A_MINUTE, limits: { requests_per_minute: 3 } },
        { name: 'few-tokens', key: FEW_TOKENS, limits: { tokens_per_minute: 60 } },
        { name: 'anthropic-client', key: ANTHROPIC_CLIENT, limits: { requests_per_minute: 5, tokens_per_minute: 100_000 } },
      ],
    },
  });
});
afterAll(async () => {
  await mixroute?.close();
  await upstream?.close();
});
beforeEach(() => upstream.reset());

const openai = (apiKey: string) => new OpenAI({ apiKey, baseURL: `${mixroute.url}/v1`, maxRetries: 0 });
const complete = (apiKey: string, model: string) => openai(apiKey).chat.completions.create({ model, max_tokens: 10, messages: [{ role: 'user', content: 'hi' }] });
const failure = (promise: Promise<unknown>) => promise.then(() => undefined, (error: unknown) => error as InstanceType<typeof OpenAI.APIError>);
const anthropicHeaderNames = (headers: Headers) => [...headers.keys()].filter((name) => name.startsWith('anthropic-ratelimit-'));

describe('OpenAI clients get OpenAI rate-limit headers', () => {
  it('requests per minute: headers on every answer, then 429 with retry-after and an OpenAI-shaped error', async () => {
    // An OpenAI channel (passthrough).
    const first = await complete(THREE_A_MINUTE, 'gpt-4.1-nano').withResponse();
    expect(first.data.object).toBe('chat.completion');
    const headers = first.response.headers;
    expect(headers.get('x-ratelimit-limit-requests')).toBe('3');
    expect(headers.get('x-ratelimit-remaining-requests')).toBe('2');
    // One request of three a minute refills in 20 s.
    expect(headers.get('x-ratelimit-reset-requests')).toBe('20s');
    expect(headers.get('x-ratelimit-limit-tokens')).toBeNull();
    expect(anthropicHeaderNames(headers)).toEqual([]);
    expect(headers.get('retry-after')).toBeNull();

    // An Anthropic channel (translated), streamed.
    const second = await openai(THREE_A_MINUTE)
      .chat.completions.create({ model: 'claude-haiku-4-5-20251001', max_tokens: 10, stream: true, messages: [{ role: 'user', content: 'hi' }] })
      .asResponse();
    expect(second.status).toBe(200);
    expect(second.headers.get('x-ratelimit-remaining-requests')).toBe('1');
    expect(second.headers.get('x-ratelimit-reset-requests')).toMatch(DURATION);
    expect(anthropicHeaderNames(second.headers)).toEqual([]);
    await second.text();

    await complete(THREE_A_MINUTE, 'gpt-4.1-nano');
    const limited = await failure(complete(THREE_A_MINUTE, 'gpt-4.1-nano'));
    expect(limited).toBeInstanceOf(OpenAI.RateLimitError);
    expect(limited!.status).toBe(429);
    expect(limited!.error).toEqual({ message: expect.stringContaining('requests per minute'), type: 'rate_limit_error', param: null, code: 'rate_limit_error' });
    expect(Number(limited!.headers?.get('retry-after'))).toBeGreaterThan(0);
    expect(limited!.headers?.get('x-ratelimit-limit-requests')).toBe('3');
    expect(limited!.headers?.get('x-ratelimit-remaining-requests')).toBe('0');
    expect(limited!.headers?.get('x-ratelimit-reset-requests')).toMatch(DURATION);
    expect(anthropicHeaderNames(limited!.headers!)).toEqual([]);
    expect(upstream.chatRequests()).toHaveLength(2);

    // The raw refusal body is OpenAI's envelope, nothing of Anthropic's.
    const raw = await fetch(`${mixroute.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${THREE_A_MINUTE}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'gpt-4.1-nano', messages: [{ role: 'user', content: 'hi' }] }),
    });
    expect(raw.status).toBe(429);
    expect(Object.keys((await raw.json()) as object)).toEqual(['error']);
  });

  it('tokens per minute: limit, remaining after the reservation, and time to full', async () => {
    const { response } = await complete(FEW_TOKENS, 'gpt-4.1-nano').withResponse();
    expect(response.headers.get('x-ratelimit-limit-tokens')).toBe('60');
    expect(Number(response.headers.get('x-ratelimit-remaining-tokens'))).toBeLessThan(60);
    expect(response.headers.get('x-ratelimit-reset-tokens')).toMatch(DURATION);
    expect(response.headers.get('x-ratelimit-reset-tokens')).not.toBe('0s');
    expect(response.headers.get('x-ratelimit-limit-requests')).toBeNull();
  });
});

describe('Anthropic clients keep Anthropic rate-limit headers', () => {
  it('sends anthropic-ratelimit-* and no x-ratelimit-*', async () => {
    const client = new Anthropic({ apiKey: ANTHROPIC_CLIENT, baseURL: mixroute.url, maxRetries: 0 });
    const { response } = await client.messages.create({ model: 'claude-haiku-4-5-20251001', max_tokens: 10, messages: [{ role: 'user', content: 'hi' }] }).withResponse();
    expect(response.headers.get('anthropic-ratelimit-requests-limit')).toBe('5');
    expect(response.headers.get('anthropic-ratelimit-requests-remaining')).toBe('4');
    expect(response.headers.get('anthropic-ratelimit-tokens-limit')).toBe('100000');
    expect(response.headers.get('anthropic-ratelimit-requests-reset')).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
    expect([...response.headers.keys()].filter((name) => name.startsWith('x-ratelimit-'))).toEqual([]);
  });
});

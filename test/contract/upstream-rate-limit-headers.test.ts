/**
 * Whose rate limits the client reads on a passthrough answer. An upstream's rate-limit headers
 * describe the operator's upstream account; when mixroute sends a key's own limits, those win
 * and the upstream's (Anthropic's `anthropic-ratelimit-*` and OpenAI's `x-ratelimit-*`) are
 * dropped, on plain, streamed and refused answers alike. A key without limits still sees the
 * upstream's headers unchanged.
 */
import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { replayError, replayFixture } from '../support/fake-anthropic-upstream.js';
import { bothProtocolChannels, replayOpenAIFixture, startFakeOpenAIUpstream, type FakeOpenAIUpstream } from '../support/fake-openai-upstream.js';
import { CHANNEL_KEY, startTestGateway, type TestGateway } from '../support/start-test-gateway.js';

const LIMITED = 'sk-limited-key-012345678';
const OPENAI_LIMITED = 'sk-openai-limited-012345';
const UNLIMITED = 'sk-unlimited-key-0123456';

/** What a real upstream account reports: both families, with names mixroute sends and names it does not. */
const UPSTREAM_LIMITS = {
  'anthropic-ratelimit-requests-limit': '999',
  'anthropic-ratelimit-requests-remaining': '998',
  'anthropic-ratelimit-requests-reset': '2030-01-01T00:00:00Z',
  'anthropic-ratelimit-tokens-limit': '8000000',
  'anthropic-ratelimit-tokens-remaining': '7999000',
  'anthropic-ratelimit-input-tokens-limit': '4000000',
  'x-ratelimit-limit-requests': '999',
  'x-ratelimit-remaining-requests': '998',
  'x-ratelimit-reset-requests': '6ms',
  'x-ratelimit-limit-tokens': '8000000',
  'x-upstream-note': 'kept',
};

let upstream: FakeOpenAIUpstream;
let mixroute: TestGateway;

beforeAll(async () => {
  upstream = await startFakeOpenAIUpstream();
  mixroute = await startTestGateway({
    upstreamUrl: upstream.url,
    config: {
      channels: bothProtocolChannels(upstream, CHANNEL_KEY),
      keys: [
        { name: 'limited', key: LIMITED, limits: { requests_per_minute: 50, tokens_per_minute: 100_000 } },
        { name: 'openai-limited', key: OPENAI_LIMITED, limits: { requests_per_minute: 50, tokens_per_minute: 100_000 } },
        { name: 'unlimited', key: UNLIMITED },
      ],
    },
  });
});
afterAll(async () => {
  await mixroute?.close();
  await upstream?.close();
});
beforeEach(() => {
  upstream.reset();
  upstream.setHandler(replayFixture('text', { headers: UPSTREAM_LIMITS }));
  upstream.setChatHandler(replayOpenAIFixture('text', { headers: UPSTREAM_LIMITS }));
});

const anthropic = (apiKey: string) => new Anthropic({ apiKey, baseURL: mixroute.url, maxRetries: 0 });
const openai = (apiKey: string) => new OpenAI({ apiKey, baseURL: `${mixroute.url}/v1`, maxRetries: 0 });
const request = { model: 'claude-haiku-4-5-20251001', max_tokens: 10, messages: [{ role: 'user' as const, content: 'hi' }] };
const named = (headers: Headers, prefix: string) => [...headers.keys()].filter((name) => name.startsWith(prefix)).sort();

describe('Anthropic clients on an Anthropic channel (passthrough)', () => {
  it("a key with limits sees its own anthropic-ratelimit-* values, none of the upstream's", async () => {
    const { response } = await anthropic(LIMITED).messages.create(request).withResponse();
    const headers = response.headers;
    expect(headers.get('anthropic-ratelimit-requests-limit')).toBe('50');
    expect(headers.get('anthropic-ratelimit-requests-remaining')).toBe('49');
    expect(headers.get('anthropic-ratelimit-requests-reset')).not.toBe('2030-01-01T00:00:00Z');
    expect(headers.get('anthropic-ratelimit-tokens-limit')).toBe('100000');
    expect(Number(headers.get('anthropic-ratelimit-tokens-remaining'))).toBeLessThan(100_000);
    // Names only the upstream sends are the upstream account's too: gone.
    expect(named(headers, 'anthropic-ratelimit-')).toEqual([
      'anthropic-ratelimit-requests-limit',
      'anthropic-ratelimit-requests-remaining',
      'anthropic-ratelimit-requests-reset',
      'anthropic-ratelimit-tokens-limit',
      'anthropic-ratelimit-tokens-remaining',
      'anthropic-ratelimit-tokens-reset',
    ]);
    expect(named(headers, 'x-ratelimit-')).toEqual([]);
    // Other upstream headers still pass.
    expect(headers.get('x-upstream-note')).toBe('kept');
  });

  it('the same on a streamed answer', async () => {
    const response = await anthropic(LIMITED).messages.create({ ...request, stream: true }).asResponse();
    expect(response.status).toBe(200);
    expect(response.headers.get('anthropic-ratelimit-requests-limit')).toBe('50');
    expect(response.headers.get('anthropic-ratelimit-tokens-limit')).toBe('100000');
    expect(response.headers.get('anthropic-ratelimit-input-tokens-limit')).toBeNull();
    expect(named(response.headers, 'x-ratelimit-')).toEqual([]);
    expect(response.headers.get('x-upstream-note')).toBe('kept');
    await response.text();
  });

  it('the same on an upstream refusal relayed unchanged', async () => {
    upstream.setHandler(replayError(400, { headers: UPSTREAM_LIMITS }));
    const refused = await anthropic(LIMITED).messages.create(request).then(
      () => undefined,
      (error: unknown) => error as InstanceType<typeof Anthropic.APIError>,
    );
    expect(refused).toBeInstanceOf(Anthropic.BadRequestError);
    expect(refused!.headers?.get('anthropic-ratelimit-requests-limit')).toBe('50');
    expect(refused!.headers?.get('anthropic-ratelimit-input-tokens-limit')).toBeNull();
    expect(named(refused!.headers!, 'x-ratelimit-')).toEqual([]);
  });

  it("a key without limits sees the upstream's headers unchanged", async () => {
    const { response } = await anthropic(UNLIMITED).messages.create(request).withResponse();
    const headers = response.headers;
    expect(headers.get('anthropic-ratelimit-requests-limit')).toBe('999');
    expect(headers.get('anthropic-ratelimit-requests-remaining')).toBe('998');
    expect(headers.get('anthropic-ratelimit-requests-reset')).toBe('2030-01-01T00:00:00Z');
    expect(headers.get('anthropic-ratelimit-tokens-limit')).toBe('8000000');
    expect(headers.get('anthropic-ratelimit-input-tokens-limit')).toBe('4000000');
    expect(headers.get('x-ratelimit-limit-requests')).toBe('999');
  });
});

describe('OpenAI clients on an OpenAI channel (passthrough)', () => {
  it("a key with limits sees its own x-ratelimit-* values, none of the upstream's", async () => {
    const { response } = await openai(OPENAI_LIMITED).chat.completions.create({ ...request, model: 'gpt-4.1-nano' }).withResponse();
    const headers = response.headers;
    expect(headers.get('x-ratelimit-limit-requests')).toBe('50');
    expect(headers.get('x-ratelimit-remaining-requests')).toBe('49');
    expect(headers.get('x-ratelimit-reset-requests')).not.toBe('6ms');
    expect(headers.get('x-ratelimit-limit-tokens')).toBe('100000');
    expect(named(headers, 'x-ratelimit-')).toEqual([
      'x-ratelimit-limit-requests',
      'x-ratelimit-limit-tokens',
      'x-ratelimit-remaining-requests',
      'x-ratelimit-remaining-tokens',
      'x-ratelimit-reset-requests',
      'x-ratelimit-reset-tokens',
    ]);
    expect(named(headers, 'anthropic-ratelimit-')).toEqual([]);
    expect(headers.get('x-upstream-note')).toBe('kept');
  });

  it('the same on a streamed answer', async () => {
    const response = await openai(OPENAI_LIMITED)
      .chat.completions.create({ ...request, model: 'gpt-4.1-nano', stream: true })
      .asResponse();
    expect(response.status).toBe(200);
    expect(response.headers.get('x-ratelimit-limit-requests')).toBe('50');
    expect(response.headers.get('x-ratelimit-limit-tokens')).toBe('100000');
    expect(named(response.headers, 'anthropic-ratelimit-')).toEqual([]);
    await response.text();
  });

  it("a key without limits sees the upstream's headers unchanged", async () => {
    const { response } = await openai(UNLIMITED).chat.completions.create({ ...request, model: 'gpt-4.1-nano' }).withResponse();
    expect(response.headers.get('x-ratelimit-limit-requests')).toBe('999');
    expect(response.headers.get('x-ratelimit-remaining-requests')).toBe('998');
    expect(response.headers.get('x-ratelimit-reset-requests')).toBe('6ms');
    expect(response.headers.get('anthropic-ratelimit-requests-limit')).toBe('999');
  });
});

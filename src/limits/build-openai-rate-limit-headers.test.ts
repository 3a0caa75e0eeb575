import { describe, expect, it } from 'vitest';
import { buildOpenAIRateLimitHeaders } from './build-openai-rate-limit-headers.js';
import { buildRateLimitHeaders } from './build-rate-limit-headers.js';

const now = Date.UTC(2025, 0, 1);

describe('buildOpenAIRateLimitHeaders', () => {
  it('renders limit, remaining and time-to-full for requests and tokens', () => {
    const headers = buildOpenAIRateLimitHeaders({
      limits: { requestsPerMinute: 60, tokensPerMinute: 1000, concurrentRequests: 3 },
      requestsLevel: 59,
      tokensLevel: 856,
      now,
    });
    expect(headers).toEqual({
      'x-ratelimit-limit-requests': '60',
      'x-ratelimit-remaining-requests': '59',
      'x-ratelimit-reset-requests': '1s',
      'x-ratelimit-limit-tokens': '1000',
      'x-ratelimit-remaining-tokens': '856',
      'x-ratelimit-reset-tokens': '8.64s',
    });
  });

  it('reports the same limits and remaining counts as the Anthropic headers', () => {
    const levels = { limits: { requestsPerMinute: 7, tokensPerMinute: 1000 }, requestsLevel: 0.4, tokensLevel: 930.5, now };
    const anthropic = buildRateLimitHeaders({ ...levels, retryAfterMs: 8572 });
    const openai = buildOpenAIRateLimitHeaders({ ...levels, retryAfterMs: 8572 });
    for (const name of ['requests', 'tokens'] as const) {
      expect(openai[`x-ratelimit-limit-${name}`]).toBe(anthropic[`anthropic-ratelimit-${name}-limit`]);
      expect(openai[`x-ratelimit-remaining-${name}`]).toBe(anthropic[`anthropic-ratelimit-${name}-remaining`]);
    }
    expect(openai['retry-after']).toBe('9');
    expect(openai['retry-after']).toBe(anthropic['retry-after']);
  });

  it.each<[string, number, number, string]>([
    ['a full bucket', 60, 60, '0s'],
    ['under a second, in whole milliseconds', 3000, 2999, '20ms'],
    ['a fraction of a millisecond, rounded up', 7, 6.99, '86ms'],
    ['whole seconds', 60, 59, '1s'],
    ['a minute and more', 10, 0, '1m0s'],
    ['minutes with fractional seconds', 1000, -440, '1m26.4s'],
    ['a debt of several minutes', 150_000, -750_000, '6m0s'],
    ['an hour', 1000, -59_000, '1h0m0s'],
  ])('formats the reset of %s as OpenAI does', (_case, capacity, level, expected) => {
    const headers = buildOpenAIRateLimitHeaders({ limits: { tokensPerMinute: capacity }, requestsLevel: undefined, tokensLevel: level, now });
    expect(headers['x-ratelimit-reset-tokens']).toBe(expected);
  });

  it('never reports a negative remaining count', () => {
    const headers = buildOpenAIRateLimitHeaders({ limits: { tokensPerMinute: 100 }, requestsLevel: undefined, tokensLevel: -40.5, now });
    expect(headers['x-ratelimit-remaining-tokens']).toBe('0');
    expect(headers['x-ratelimit-reset-tokens']).toBe('1m24.3s');
  });

  it('reports only the limits that are set, and retry-after on refusals only', () => {
    expect(Object.keys(buildOpenAIRateLimitHeaders({ limits: { tokensPerMinute: 50 }, requestsLevel: undefined, tokensLevel: 45, now })).sort()).toEqual([
      'x-ratelimit-limit-tokens',
      'x-ratelimit-remaining-tokens',
      'x-ratelimit-reset-tokens',
    ]);
    expect(buildOpenAIRateLimitHeaders({ limits: { concurrentRequests: 1 }, requestsLevel: undefined, tokensLevel: undefined, now })).toEqual({});
    expect(buildOpenAIRateLimitHeaders({ limits: { concurrentRequests: 1 }, requestsLevel: undefined, tokensLevel: undefined, now, retryAfterMs: 1000 })).toEqual({ 'retry-after': '1' });
    expect(buildOpenAIRateLimitHeaders({ limits: { requestsPerMinute: 3 }, requestsLevel: 0, tokensLevel: undefined, now, retryAfterMs: 20_000 })).toEqual({
      'x-ratelimit-limit-requests': '3',
      'x-ratelimit-remaining-requests': '0',
      'x-ratelimit-reset-requests': '1m0s',
      'retry-after': '20',
    });
  });
});

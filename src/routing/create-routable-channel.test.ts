import { describe, expect, it } from 'vitest';
import type { Channel } from '../storage/channel.js';
import { createRoutableChannel, DEFAULT_TIMEOUTS } from './create-routable-channel.js';

function storedChannel(overrides: Partial<Channel> = {}): Channel {
  return {
    id: 'ch_1',
    name: 'main',
    type: 'anthropic',
    baseUrl: 'https://api.anthropic.com',
    credentials: { apiKeys: ['sk-ant-1', 'sk-ant-2'] },
    models: ['claude-*', 'my-model'],
    modelMap: { fast: 'claude-haiku-4-5-20251001' },
    priority: 5,
    weight: 3,
    enabled: true,
    settings: {},
    source: 'config',
    createdAt: 1_700_000_000_000,
    updatedAt: 1_700_000_000_001,
    ...overrides,
  };
}

describe('createRoutableChannel', () => {
  it('copies what routing needs and applies the default settings', () => {
    const channel = createRoutableChannel(storedChannel())!;
    expect(channel).toMatchObject({
      id: 'ch_1',
      name: 'main',
      type: 'anthropic',
      baseUrl: 'https://api.anthropic.com',
      apiKeys: ['sk-ant-1', 'sk-ant-2'],
      authHeader: 'x-api-key',
      priority: 5,
      weight: 3,
      enabled: true,
      models: ['claude-*', 'my-model'],
      modelMap: { fast: 'claude-haiku-4-5-20251001' },
      timeouts: { connectMs: 10_000, firstByteMs: 600_000, idleMs: 300_000 },
      createdAt: 1_700_000_000_000,
    });
    expect(DEFAULT_TIMEOUTS).toEqual({ connectMs: 10_000, firstByteMs: 600_000, idleMs: 300_000 });
  });

  it('compiles one matcher per model pattern, in order', () => {
    const channel = createRoutableChannel(storedChannel())!;
    expect(channel.matchers).toHaveLength(2);
    expect(channel.matchers[0]!('claude-sonnet-5')).toBe(true);
    expect(channel.matchers[0]!('my-model')).toBe(false);
    expect(channel.matchers[1]!('my-model')).toBe(true);
    expect(channel.matchers[1]!('my-model-2')).toBe(false);
  });

  it('strips trailing slashes from the base URL but keeps its path', () => {
    expect(createRoutableChannel(storedChannel({ baseUrl: 'https://gw.example.com/anthropic//' }))!.baseUrl).toBe(
      'https://gw.example.com/anthropic',
    );
  });

  it('reads auth_header and each timeout from the stored settings, defaulting the rest', () => {
    const channel = createRoutableChannel(
      storedChannel({ settings: { auth_header: 'bearer', timeouts: { first_byte_ms: 1234 } } }),
    )!;
    expect(channel.authHeader).toBe('bearer');
    expect(channel.timeouts).toEqual({ connectMs: 10_000, firstByteMs: 1234, idleMs: 300_000 });
  });

  it('keeps a disabled channel disabled, and disables one without credentials', () => {
    expect(createRoutableChannel(storedChannel({ enabled: false }))!.enabled).toBe(false);
    expect(createRoutableChannel(storedChannel({ credentials: { apiKeys: [] } }))!.enabled).toBe(false);
  });

  it('always sends an OpenAI-compatible channel key as Bearer, and resolves its dialect settings', () => {
    const plain = createRoutableChannel(storedChannel({ type: 'openai', settings: { auth_header: 'x-api-key' } }))!;
    expect(plain).toMatchObject({ type: 'openai', authHeader: 'bearer', reasoning: 'reasoning_effort', maxTokensField: 'max_tokens' });
    const tuned = createRoutableChannel(
      storedChannel({ type: 'openai', settings: { reasoning: 'deepseek', max_tokens_field: 'max_completion_tokens' } }),
    )!;
    expect(tuned).toMatchObject({ reasoning: 'deepseek', maxTokensField: 'max_completion_tokens' });
  });

  describe('bad input', () => {
    it('returns undefined for a channel type this build cannot serve', () => {
      expect(createRoutableChannel(storedChannel({ type: 'gemini' }))).toBeUndefined();
      expect(createRoutableChannel(storedChannel({ type: 'Anthropic' }))).toBeUndefined();
    });

    it('falls back to x-api-key for an auth_header value it does not know', () => {
      expect(createRoutableChannel(storedChannel({ settings: { auth_header: 'Bearer' } }))!.authHeader).toBe('x-api-key');
    });
  });
});

import { describe, expect, it } from 'vitest';
import { mapOpenAIErrorToAnthropic } from './map-openai-error-to-anthropic.js';

const openAIError = (message: string, type = 'invalid_request_error', code: string | null = null) => ({
  error: { message, type, param: null, code },
});

describe('mapOpenAIErrorToAnthropic', () => {
  it.each([
    [400, 'invalid_request_error'],
    [401, 'authentication_error'],
    [402, 'billing_error'],
    [403, 'permission_error'],
    [404, 'not_found_error'],
    [409, 'conflict_error'],
    [413, 'request_too_large'],
    [422, 'invalid_request_error'],
    [429, 'rate_limit_error'],
    [500, 'api_error'],
    [502, 'api_error'],
    [503, 'overloaded_error'],
    [504, 'timeout_error'],
    [529, 'overloaded_error'],
    [418, 'invalid_request_error'],
  ])('maps status %i to %s and keeps the status and the message', (status, type) => {
    expect(mapOpenAIErrorToAnthropic({ status, body: openAIError('upstream says no') })).toEqual({
      status,
      body: { type: 'error', error: { type, message: 'upstream says no' } },
      headers: {},
    });
  });

  it('keeps retry-after', () => {
    const mapped = mapOpenAIErrorToAnthropic({ status: 429, body: openAIError('Rate limit reached', 'requests'), retryAfter: '7' });
    expect(mapped.headers).toEqual({ 'retry-after': '7' });
    expect(mapped.body.error).toEqual({ type: 'rate_limit_error', message: 'Rate limit reached' });
  });

  it('tells clients not to retry an exhausted quota', () => {
    const mapped = mapOpenAIErrorToAnthropic({
      status: 429,
      body: openAIError('You exceeded your current quota', 'insufficient_quota', 'insufficient_quota'),
    });
    expect(mapped.headers).toEqual({ 'x-should-retry': 'false' });
  });

  it('reads messages from other shapes: string error, vLLM bare object, FastAPI detail, raw text', () => {
    expect(mapOpenAIErrorToAnthropic({ status: 400, body: { error: 'bad thing' } }).body.error.message).toBe('bad thing');
    expect(mapOpenAIErrorToAnthropic({ status: 400, body: { object: 'error', message: 'vllm says', code: 400 } }).body.error.message).toBe('vllm says');
    expect(mapOpenAIErrorToAnthropic({ status: 404, body: { detail: 'Not Found' } }).body.error.message).toBe('Not Found');
    expect(mapOpenAIErrorToAnthropic({ status: 502, body: '  <html>Bad Gateway</html>\n' }).body.error.message).toBe('<html>Bad Gateway</html>');
    expect(mapOpenAIErrorToAnthropic({ status: 500, body: undefined }).body.error.message).toBe(
      'The upstream returned HTTP 500 without an error message.',
    );
  });

  it('turns a non-error status into a 502', () => {
    expect(mapOpenAIErrorToAnthropic({ status: 200, body: {} }).status).toBe(502);
  });

  it('rewords OpenAI\'s context overflow the way Anthropic words it, keeping the upstream text', () => {
    const text =
      "This model's maximum context length is 128000 tokens. However, your messages resulted in 130532 tokens. Please reduce the length of the messages.";
    expect(mapOpenAIErrorToAnthropic({ status: 400, body: openAIError(text, 'invalid_request_error', 'context_length_exceeded') }).body.error.message).toBe(
      `prompt is too long: 130532 tokens > 128000 maximum (upstream: ${text})`,
    );
  });

  it('rewords a vLLM/DeepSeek overflow caused by max_tokens so Claude Code can lower it', () => {
    const text =
      "This model's maximum context length is 131072 tokens. However, you requested 140000 tokens (100000 in the messages, 40000 in the completion). Please reduce the length of the messages or completion.";
    expect(mapOpenAIErrorToAnthropic({ status: 400, body: openAIError(text) }).body.error.message).toBe(
      `input length and \`max_tokens\` exceed context limit: 100000 + 40000 > 131072, decrease input length or \`max_tokens\` and try again (upstream: ${text})`,
    );
    const tooLong = text.replace('100000 in the messages', '135000 in the messages');
    expect(mapOpenAIErrorToAnthropic({ status: 400, body: openAIError(tooLong) }).body.error.message).toMatch(
      /^prompt is too long: 135000 tokens > 131072 maximum/,
    );
  });
});

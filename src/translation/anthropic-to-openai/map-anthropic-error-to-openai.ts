import type { OpenAIErrorBody } from '../../protocol/openai/openai-error-body.js';

/**
 * An Anthropic upstream's error for an OpenAI client: same status, OpenAI's
 * envelope, Anthropic's message and type kept (`type` carries Anthropic's
 * `error.type`, so `overloaded_error` stays recognizable), and the retry hints
 * the OpenAI SDK reads (`retry-after`, `retry-after-ms`, `x-should-retry`).
 * A body that is not Anthropic's envelope is passed as the message.
 * @see ../../../../shared/protocol/anthropic-protocol.md §7.9
 */
export function mapAnthropicErrorToOpenAI(options: {
  status: number;
  body: Buffer;
  headers: Record<string, string | string[] | undefined>;
}): { status: number; body: OpenAIErrorBody; headers: Record<string, string> } {
  let type = options.status >= 500 ? 'api_error' : 'invalid_request_error';
  let message = options.body.toString('utf8').slice(0, 2_000) || `upstream answered ${options.status}`;
  try {
    const parsed = JSON.parse(options.body.toString('utf8')) as { error?: { type?: unknown; message?: unknown } };
    if (typeof parsed?.error?.type === 'string') type = parsed.error.type;
    if (typeof parsed?.error?.message === 'string') message = parsed.error.message;
  } catch {
    // Not JSON: the raw text is the best message there is.
  }
  const headers: Record<string, string> = {};
  for (const name of ['retry-after', 'retry-after-ms', 'x-should-retry']) {
    const value = options.headers[name];
    if (typeof value === 'string') headers[name] = value;
  }
  return { status: options.status, body: { error: { message, type, param: null, code: type } }, headers };
}

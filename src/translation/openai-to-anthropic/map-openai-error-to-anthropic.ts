import type { AnthropicErrorBody, AnthropicErrorType } from '../../protocol/anthropic/anthropic-error-body.js';

export interface MappedAnthropicError {
  status: number;
  body: AnthropicErrorBody;
  /** Headers to add to the response (lower-case names). */
  headers: Record<string, string>;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Long HTML error pages from proxies in front of an upstream are not worth relaying whole. */
const MAX_TEXT_MESSAGE_LENGTH = 2000;

function mapStatusToErrorType(status: number): AnthropicErrorType {
  switch (status) {
    case 400:
    case 422:
      return 'invalid_request_error';
    case 401:
      return 'authentication_error';
    case 402:
      return 'billing_error';
    case 403:
      return 'permission_error';
    case 404:
      return 'not_found_error';
    case 409:
      return 'conflict_error';
    case 413:
      return 'request_too_large';
    case 429:
      return 'rate_limit_error';
    case 503:
    case 529:
      return 'overloaded_error';
    case 504:
      return 'timeout_error';
    default:
      return status >= 500 ? 'api_error' : 'invalid_request_error';
  }
}

/** The upstream's message, from OpenAI's envelope, vLLM's bare one, a plain string, or raw text. */
function readMessage(body: unknown): string | undefined {
  if (typeof body === 'string') {
    const text = body.trim();
    return text === '' ? undefined : text.slice(0, MAX_TEXT_MESSAGE_LENGTH);
  }
  if (!isRecord(body)) return undefined;
  const error = body.error;
  if (typeof error === 'string' && error !== '') return error;
  if (isRecord(error) && typeof error.message === 'string' && error.message !== '') return error.message;
  if (typeof body.message === 'string' && body.message !== '') return body.message;
  if (typeof body.detail === 'string' && body.detail !== '') return body.detail;
  return undefined;
}

function readErrorCode(body: unknown): string | undefined {
  if (!isRecord(body)) return undefined;
  const error = isRecord(body.error) ? body.error : body;
  for (const value of [error.code, error.type]) if (typeof value === 'string') return value;
  return undefined;
}

/**
 * Context-overflow messages of OpenAI-compatible servers, reworded the way
 * Anthropic words them, with the upstream's own text kept after it. Claude
 * Code matches Anthropic's wording: on ``input length and `max_tokens`
 * exceed context limit: A + B > C`` it lowers `max_tokens` and retries, and
 * "prompt is too long" is what clients recognize as "compact the
 * conversation". Worded any other way, the turn just fails.
 *
 * Recognized (OpenAI, DeepSeek, vLLM):
 * - "maximum context length is C tokens. However, your messages resulted in P tokens"
 * - "maximum context length is C tokens. However, you requested T tokens (P in the messages, B in the completion)"
 * @see ../../../../shared/protocol/anthropic-protocol.md §4.4
 */
function rewordContextOverflow(message: string): string | undefined {
  const limitMatch = /maximum context length is (\d+) tokens/i.exec(message);
  if (limitMatch === null) return undefined;
  const limit = Number(limitMatch[1]);
  const split = /\((\d+) in the messages, (\d+) in the completion\)/i.exec(message);
  if (split !== null) {
    const prompt = Number(split[1]);
    const completion = Number(split[2]);
    if (prompt < limit) {
      return `input length and \`max_tokens\` exceed context limit: ${prompt} + ${completion} > ${limit}, decrease input length or \`max_tokens\` and try again (upstream: ${message})`;
    }
    return `prompt is too long: ${prompt} tokens > ${limit} maximum (upstream: ${message})`;
  }
  const resulted = /resulted in (\d+) tokens/i.exec(message) ?? /requested (\d+) tokens/i.exec(message);
  if (resulted !== null) return `prompt is too long: ${Number(resulted[1])} tokens > ${limit} maximum (upstream: ${message})`;
  return undefined;
}

/**
 * Turns an error response of an OpenAI-compatible upstream into Anthropic's
 * error envelope, for an Anthropic client (a mismatched-protocol target, so
 * the body cannot be relayed unchanged as it would be from an Anthropic
 * upstream).
 *
 * - The status is kept; `error.type` follows Anthropic's status table, with
 *   503 (how OpenAI-compatible servers say "overloaded") as
 *   `overloaded_error`, the type Claude Code's retry logic looks for.
 * - The upstream's message text is kept verbatim (context overflows get
 *   Anthropic's wording in front of it, see above).
 * - `retry-after` is carried over. OpenAI's `insufficient_quota` comes as a
 *   429, which every client would retry in vain; it gets
 *   `x-should-retry: false`, which both Anthropic SDKs obey over the status.
 * @see ../../../../shared/protocol/anthropic-protocol.md §4.1–4.3, §7.9
 */
export function mapOpenAIErrorToAnthropic(options: { status: number; body: unknown; retryAfter?: string }): MappedAnthropicError {
  const { status, body, retryAfter } = options;
  const validStatus = Number.isInteger(status) && status >= 400 && status <= 599 ? status : 502;
  const upstreamMessage = readMessage(body) ?? `The upstream returned HTTP ${status} without an error message.`;
  const type = mapStatusToErrorType(validStatus);
  const message = (type === 'invalid_request_error' ? rewordContextOverflow(upstreamMessage) : undefined) ?? upstreamMessage;

  const headers: Record<string, string> = {};
  if (retryAfter !== undefined && retryAfter !== '') headers['retry-after'] = retryAfter;
  if (validStatus === 429 && readErrorCode(body) === 'insufficient_quota') headers['x-should-retry'] = 'false';

  return { status: validStatus, body: { type: 'error', error: { type, message } }, headers };
}

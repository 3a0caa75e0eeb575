import { renderRateLimitHeaders, type RateLimitHeaderOptions } from './build-rate-limit-headers.js';
import { formatCount } from './format-count.js';
import { RATE_LIMIT_WINDOW_MS, type RateLimitHeaders } from './rate-limiter.js';

/**
 * Renders a decision's bucket levels as OpenAI's rate-limit headers, for OpenAI clients
 * (`/v1/chat/completions`), only for the limits that are set (concurrency has no header):
 * - `x-ratelimit-limit-{requests,tokens}`: the per-minute limit;
 * - `x-ratelimit-remaining-{requests,tokens}`: what can still be spent now, floored, never
 *   negative (the same numbers as the Anthropic headers);
 * - `x-ratelimit-reset-{requests,tokens}`: the time until the bucket is back to its initial
 *   (full) state, as a duration in OpenAI's format (`20ms`, `1s`, `8.64s`, `6m0s`), rounded up
 *   to the millisecond;
 * - `retry-after`: whole seconds, rounded up, on refusals only.
 * @see https://platform.openai.com/docs/guides/rate-limits#rate-limits-in-headers
 */
export function buildOpenAIRateLimitHeaders(options: RateLimitHeaderOptions): RateLimitHeaders {
  return renderRateLimitHeaders(options, addBucketHeaders);
}

function addBucketHeaders(headers: RateLimitHeaders, name: 'requests' | 'tokens', capacity: number, level: number): void {
  const missing = Math.max(0, capacity - level);
  headers[`x-ratelimit-limit-${name}`] = String(capacity);
  headers[`x-ratelimit-remaining-${name}`] = formatCount(Math.max(0, Math.floor(level)));
  headers[`x-ratelimit-reset-${name}`] = formatDuration(Math.ceil((missing * RATE_LIMIT_WINDOW_MS) / capacity));
}

/**
 * Milliseconds as OpenAI writes durations (Go's `time.Duration` format): under a second in
 * whole milliseconds (`20ms`), zero as `0s`, otherwise hours and minutes when present and
 * seconds with up to three decimals, trailing zeros dropped (`1s`, `8.64s`, `6m0s`, `1h0m0s`).
 */
function formatDuration(milliseconds: number): string {
  if (milliseconds <= 0) return '0s';
  if (milliseconds < 1000) return `${milliseconds}ms`;
  const hours = Math.floor(milliseconds / 3_600_000);
  const minutes = Math.floor((milliseconds % 3_600_000) / 60_000);
  const rest = milliseconds % 60_000;
  const whole = Math.floor(rest / 1000);
  const fraction = rest % 1000;
  const seconds = fraction === 0 ? `${whole}` : `${whole}.${String(fraction).padStart(3, '0').replace(/0+$/, '')}`;
  if (hours > 0) return `${hours}h${minutes}m${seconds}s`;
  if (minutes > 0) return `${minutes}m${seconds}s`;
  return `${seconds}s`;
}

import { formatCount } from './format-count.js';
import { RATE_LIMIT_WINDOW_MS, type RateLimitHeaders, type RateLimitLevels } from './rate-limiter.js';

/**
 * Renders a decision's bucket levels as Anthropic's rate-limit headers, for the limits that
 * are set. Both implementations compute levels and call this, so the headers cannot drift.
 * @see https://platform.claude.com/docs/en/api/rate-limits#response-headers
 */
export function buildRateLimitHeaders(options: RateLimitHeaderOptions): RateLimitHeaders {
  return renderRateLimitHeaders(options, addBucketHeaders);
}

export type RateLimitHeaderOptions = RateLimitLevels & {
  /** Set on refusals only. */
  retryAfterMs?: number;
};

/**
 * The part both dialects share: one bucket's headers (in the dialect's names
 * and formats, by `addBucket`) for each limit that is set, and `retry-after`
 * on refusals.
 */
export function renderRateLimitHeaders(
  options: RateLimitHeaderOptions,
  addBucket: (headers: RateLimitHeaders, name: 'requests' | 'tokens', capacity: number, level: number, now: number) => void,
): RateLimitHeaders {
  const headers: RateLimitHeaders = {};
  const { requestsPerMinute, tokensPerMinute } = options.limits;
  if (requestsPerMinute !== undefined && options.requestsLevel !== undefined) {
    addBucket(headers, 'requests', requestsPerMinute, options.requestsLevel, options.now);
  }
  if (tokensPerMinute !== undefined && options.tokensLevel !== undefined) {
    addBucket(headers, 'tokens', tokensPerMinute, options.tokensLevel, options.now);
  }
  if (options.retryAfterMs !== undefined) {
    // Whole seconds, rounded up: a client that waits exactly this long must not be early.
    headers['retry-after'] = String(Math.max(1, Math.ceil(options.retryAfterMs / 1000)));
  }
  return headers;
}

function addBucketHeaders(
  headers: RateLimitHeaders,
  name: 'requests' | 'tokens',
  capacity: number,
  level: number,
  now: number,
): void {
  const missing = Math.max(0, capacity - level);
  const fullAt = now + (missing * RATE_LIMIT_WINDOW_MS) / capacity;
  const names = HEADER_NAMES[name];
  headers[names.limit] = String(capacity);
  headers[names.remaining] = formatCount(Math.max(0, Math.floor(level)));
  headers[names.reset] = formatResetTime(fullAt);
}

/** The header names, spelled once instead of built per answer. */
const HEADER_NAMES = {
  requests: { limit: 'anthropic-ratelimit-requests-limit', remaining: 'anthropic-ratelimit-requests-remaining', reset: 'anthropic-ratelimit-requests-reset' },
  tokens: { limit: 'anthropic-ratelimit-tokens-limit', remaining: 'anthropic-ratelimit-tokens-remaining', reset: 'anthropic-ratelimit-tokens-reset' },
} as const;

/** Recently formatted instants: most answers within a second share their reset times. */
const formatted = new Map<number, string>();

/** RFC 3339 in UTC at second precision, as Anthropic sends it (`2025-01-01T00:00:06Z`). */
function formatResetTime(milliseconds: number): string {
  const seconds = Math.ceil(milliseconds / 1000);
  let text = formatted.get(seconds);
  if (text === undefined) {
    if (formatted.size >= 64) formatted.clear();
    text = new Date(seconds * 1000).toISOString().replace('.000Z', 'Z');
    formatted.set(seconds, text);
  }
  return text;
}

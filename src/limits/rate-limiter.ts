/**
 * The rate-limiter contract that the in-memory and the Redis implementations share
 * (one test suite runs against both: test/limits/describe-rate-limiter-suite.ts).
 *
 * Algorithm, identical in both implementations:
 * - Requests per minute and tokens per minute are two token buckets with continuous refill,
 *   as Anthropic's own limits are ("capacity is continuously replenished up to your maximum
 *   limit, rather than being reset at fixed intervals"). Capacity is the per-minute limit and
 *   the bucket refills limit / 60 000 per millisecond. A sliding-window log would be exact too,
 *   but costs one entry per request (and per token batch) per key; a bucket is two numbers.
 *   An absent bucket is a full one, so state can expire once a bucket has refilled.
 * - Tokens: the estimate is taken from the bucket at acquire time; release corrects it to the
 *   actual count. A refund never lifts the bucket above capacity (tokens used never go below 0).
 *   Usage above the estimate drives the bucket below zero: that is real usage, and the key
 *   waits until it is paid back. An estimate larger than the whole per-minute budget is
 *   admitted once the bucket is full (and leaves it in debt), otherwise it could never pass.
 * - Concurrency is a set of leases, each with an expiry CONCURRENCY_LEASE_TTL_MS after its
 *   acquire, cleaned on every acquire: an instance that crashes mid-request never releases
 *   its leases, and they must not hold the slots for ever.
 * - All checks of one acquire, and the updates when it passes, are one atomic step; a refused
 *   acquire changes nothing. When several limits refuse, the decision names the one with the
 *   longest wait, so a client that honours retry-after is not refused again straight away.
 *
 * @see https://platform.claude.com/docs/en/api/rate-limits
 */

/** Limits of one API key. An undefined limit is unlimited. */
export type RateLimits = {
  requestsPerMinute?: number;
  tokensPerMinute?: number;
  concurrentRequests?: number;
};

/**
 * Response headers named and valued as Anthropic sends them, only for the limits that are set
 * (concurrency has no Anthropic header):
 * - `anthropic-ratelimit-{requests,tokens}-limit`: the per-minute limit;
 * - `anthropic-ratelimit-{requests,tokens}-remaining`: what can still be spent now (after
 *   this acquire when it was allowed), floored, never negative;
 * - `anthropic-ratelimit-{requests,tokens}-reset`: RFC 3339 time at which the bucket is fully
 *   replenished, rounded up to the second;
 * - `retry-after`: whole seconds, rounded up, on refusals only.
 * Tokens remaining is exact where Anthropic rounds it to the thousand: gateway limits are often
 * small enough that rounding would read 0 or the whole limit.
 */
export type RateLimitHeaders = Record<string, string>;

/**
 * The bucket levels a decision was made on, as numbers, so a caller can render them in another
 * dialect's headers (OpenAI's `x-ratelimit-*`: build-openai-rate-limit-headers.ts).
 */
export type RateLimitLevels = {
  limits: RateLimits;
  /** Requests bucket level after the decision; undefined when requests are unlimited. */
  requestsLevel: number | undefined;
  /** Tokens bucket level after the decision (may be negative: debt); undefined when unlimited. */
  tokensLevel: number | undefined;
  /** The limiter's clock at the decision, milliseconds since the epoch. */
  now: number;
};

export type RateLimitLease = {
  /**
   * Frees the concurrency slot and corrects the reserved token estimate to `actualTokens`.
   * Idempotent: a second call does nothing. Releasing a lease that already expired still
   * corrects the tokens but cannot free another request's slot.
   */
  release(options: { actualTokens: number; now?: number }): Promise<void>;
};

export type RateLimitDecision =
  | { allowed: true; lease: RateLimitLease; headers: RateLimitHeaders; levels: RateLimitLevels }
  | {
      allowed: false;
      limit: 'requests' | 'tokens' | 'concurrency';
      /** Milliseconds until this acquire would pass, if nothing else spends meanwhile. */
      retryAfterMs: number;
      headers: RateLimitHeaders;
      levels: RateLimitLevels;
    };

export type RateLimiter = {
  /**
   * `key` is the API key id; `now` (milliseconds since the epoch) overrides the limiter's
   * clock for this call. Rejects when the backing store fails: whether to fail open or closed
   * is the caller's policy, not the limiter's.
   */
  acquire(options: {
    key: string;
    limits: RateLimits;
    estimatedTokens: number;
    now?: number;
  }): Promise<RateLimitDecision>;
  /** Releases the limiter's resources (a Redis connection); safe to call twice. */
  close(): Promise<void>;
};

/** The window every limit is expressed in. */
export const RATE_LIMIT_WINDOW_MS = 60_000;

/**
 * How long a concurrency lease holds its slot without a release. Ten minutes is longer than
 * any sane request (a long streamed generation takes a few minutes), short enough that a
 * crashed instance's slots come back without an operator.
 */
export const CONCURRENCY_LEASE_TTL_MS = 10 * 60_000;

/**
 * A concurrency slot frees when some running request ends, which cannot be predicted; one
 * second is a short, honest hint for clients that honour retry-after.
 */
export const CONCURRENCY_RETRY_AFTER_MS = 1_000;

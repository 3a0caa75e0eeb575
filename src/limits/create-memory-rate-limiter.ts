import { assertTokenCount, assertValidAcquireOptions } from './assert-valid-acquire-options.js';
import { buildRateLimitHeaders } from './build-rate-limit-headers.js';
import {
  CONCURRENCY_LEASE_TTL_MS,
  CONCURRENCY_RETRY_AFTER_MS,
  RATE_LIMIT_WINDOW_MS,
  type RateLimitDecision,
  type RateLimiter,
  type RateLimits,
} from './rate-limiter.js';

type Bucket = { level: number; updatedAt: number };

type KeyState = {
  requests: Bucket | undefined;
  tokens: Bucket | undefined;
  /** Lease id → expiry time. */
  leases: Map<number, number>;
};

/**
 * The default rate limiter: per process, so each instance enforces its own copy of the limits.
 * Each acquire runs synchronously from start to finish (no await inside), which makes it a
 * critical section on Node's single thread: concurrent acquires cannot both see the last slot.
 *
 * State is one small record per API key that has been seen; keys are ours and finite, so it is
 * not pruned. The algorithm is documented in rate-limiter.ts and mirrored by the Redis script.
 */
export function createMemoryRateLimiter(
  options: { now?: () => number; leaseTtlMs?: number } = {},
): RateLimiter {
  const clock = options.now ?? Date.now;
  const leaseTtlMs = options.leaseTtlMs ?? CONCURRENCY_LEASE_TTL_MS;
  const states = new Map<string, KeyState>();
  let nextLeaseId = 1;

  function stateOf(key: string): KeyState {
    let state = states.get(key);
    if (state === undefined) {
      state = { requests: undefined, tokens: undefined, leases: new Map() };
      states.set(key, state);
    }
    return state;
  }

  function acquireNow(options: {
    key: string;
    limits: RateLimits;
    estimatedTokens: number;
    now?: number;
  }): RateLimitDecision {
    assertValidAcquireOptions(options);
    const { limits, estimatedTokens } = options;
    const now = options.now ?? clock();
    const state = stateOf(options.key);

    let refusedLimit: 'requests' | 'tokens' | 'concurrency' | undefined;
    let retryAfterMs = 0;
    const refuse = (limit: typeof refusedLimit, waitMs: number): void => {
      if (waitMs > retryAfterMs) {
        retryAfterMs = waitMs;
        refusedLimit = limit;
      }
    };

    const requests =
      limits.requestsPerMinute === undefined ? undefined : refill(state.requests, limits.requestsPerMinute, now);
    if (requests !== undefined && limits.requestsPerMinute !== undefined && requests.level < 1) {
      refuse('requests', ((1 - requests.level) * RATE_LIMIT_WINDOW_MS) / limits.requestsPerMinute);
    }

    const tokens =
      limits.tokensPerMinute === undefined ? undefined : refill(state.tokens, limits.tokensPerMinute, now);
    if (tokens !== undefined && limits.tokensPerMinute !== undefined) {
      const needed = Math.min(estimatedTokens, limits.tokensPerMinute);
      if (tokens.level < needed) {
        refuse('tokens', ((needed - tokens.level) * RATE_LIMIT_WINDOW_MS) / limits.tokensPerMinute);
      }
    }

    if (limits.concurrentRequests !== undefined) {
      for (const [leaseId, expiresAt] of state.leases) {
        if (expiresAt <= now) state.leases.delete(leaseId);
      }
      if (state.leases.size >= limits.concurrentRequests) refuse('concurrency', CONCURRENCY_RETRY_AFTER_MS);
    }

    if (refusedLimit !== undefined) {
      // A refusal changes nothing: the refilled levels are reported but not stored.
      const levels = { limits, requestsLevel: requests?.level, tokensLevel: tokens?.level, now };
      return {
        allowed: false,
        limit: refusedLimit,
        retryAfterMs: Math.ceil(retryAfterMs),
        headers: buildRateLimitHeaders({ ...levels, retryAfterMs }),
        levels,
      };
    }

    if (requests !== undefined) {
      requests.level -= 1;
      state.requests = requests;
    }
    if (tokens !== undefined) {
      tokens.level -= estimatedTokens;
      state.tokens = tokens;
    }
    let leaseId: number | undefined;
    if (limits.concurrentRequests !== undefined) {
      // Leases live in this process only: a counter names them uniquely.
      leaseId = nextLeaseId++;
      state.leases.set(leaseId, now + leaseTtlMs);
    }

    let released = false;
    const levels = { limits, requestsLevel: requests?.level, tokensLevel: tokens?.level, now };
    return {
      allowed: true,
      headers: buildRateLimitHeaders(levels),
      levels,
      lease: {
        release: async (releaseOptions) => {
          assertTokenCount('actualTokens', releaseOptions.actualTokens);
          if (released) return;
          released = true;
          if (leaseId !== undefined) state.leases.delete(leaseId);
          // Limits as they were at acquire time: the estimate was taken from that bucket.
          if (limits.tokensPerMinute !== undefined && releaseOptions.actualTokens !== estimatedTokens) {
            const releaseNow = releaseOptions.now ?? clock();
            const bucket = refill(state.tokens, limits.tokensPerMinute, releaseNow);
            const correction = estimatedTokens - releaseOptions.actualTokens;
            bucket.level = Math.min(limits.tokensPerMinute, bucket.level + correction);
            state.tokens = bucket;
          }
        },
      },
    };
  }

  return {
    acquire: async (acquireOptions) => acquireNow(acquireOptions),
    close: async () => {
      states.clear();
    },
  };
}

/**
 * The bucket as it stands at `now`. A clock that went backwards (another clock injected, or
 * skew) refills nothing and keeps the later timestamp, so no interval is ever counted twice.
 */
function refill(bucket: Bucket | undefined, capacity: number, now: number): Bucket {
  if (bucket === undefined) return { level: capacity, updatedAt: now };
  const elapsed = Math.max(0, now - bucket.updatedAt);
  return {
    level: Math.min(capacity, bucket.level + (elapsed * capacity) / RATE_LIMIT_WINDOW_MS),
    updatedAt: Math.max(now, bucket.updatedAt),
  };
}

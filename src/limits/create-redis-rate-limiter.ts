import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { assertTokenCount, assertValidAcquireOptions } from './assert-valid-acquire-options.js';
import { buildRateLimitHeaders } from './build-rate-limit-headers.js';
import { ACQUIRE_SCRIPT, RELEASE_SCRIPT } from './redis-rate-limit-scripts.js';
import {
  CONCURRENCY_LEASE_TTL_MS,
  CONCURRENCY_RETRY_AFTER_MS,
  type RateLimitDecision,
  type RateLimiter,
} from './rate-limiter.js';

type ScriptArgument = string | number;

/** The commands that defineCommand adds; ioredis cannot type them itself. */
type RedisWithRateLimitScripts = Redis & {
  mixrouteRateLimitAcquire(...keysThenArguments: ScriptArgument[]): Promise<unknown>;
  mixrouteRateLimitRelease(...keysThenArguments: ScriptArgument[]): Promise<unknown>;
};

/**
 * The shared rate limiter: every instance pointed at the same Redis and key prefix enforces one
 * limit per API key. Each acquire is one Lua script (redis-rate-limit-scripts.ts), so the three
 * checks and their updates are atomic across instances.
 *
 * Time is the Redis server's TIME, one clock for every instance, unless `now` is injected
 * (tests) or passed to a single acquire/release.
 *
 * Keys: `<prefix>{<api key id>}:requests|tokens|leases`. The braces are a cluster hash tag, so
 * the three keys of one API key live in one slot, as a multi-key script requires on a cluster.
 *
 * A failing Redis rejects acquire after one retry instead of ioredis' default twenty: a request
 * must not hang on its rate limiter. Fail-open or fail-closed is for the caller to decide.
 */
export function createRedisRateLimiter(options: {
  url: string;
  keyPrefix?: string;
  now?: () => number;
  leaseTtlMs?: number;
  onError?: (error: Error) => void;
}): RateLimiter {
  const keyPrefix = options.keyPrefix ?? 'mixroute:ratelimit:';
  const leaseTtlMs = options.leaseTtlMs ?? CONCURRENCY_LEASE_TTL_MS;
  const clock = options.now;
  const client = new Redis(options.url, { maxRetriesPerRequest: 1 }) as RedisWithRateLimitScripts;
  if (options.onError !== undefined) client.on('error', options.onError);
  // defineCommand sends EVALSHA and falls back to EVAL once when the script is not cached.
  client.defineCommand('mixrouteRateLimitAcquire', { numberOfKeys: 3, lua: ACQUIRE_SCRIPT });
  client.defineCommand('mixrouteRateLimitRelease', { numberOfKeys: 2, lua: RELEASE_SCRIPT });

  let closed = false;

  /** '' lets the script read the server's clock. */
  function timeArgument(now: number | undefined): string {
    const time = now ?? clock?.();
    return time === undefined ? '' : String(time);
  }

  function keysOf(key: string): { requests: string; tokens: string; leases: string } {
    const base = `${keyPrefix}{${key}}:`;
    return { requests: `${base}requests`, tokens: `${base}tokens`, leases: `${base}leases` };
  }

  return {
    async acquire(acquireOptions): Promise<RateLimitDecision> {
      assertValidAcquireOptions(acquireOptions);
      const { limits, estimatedTokens } = acquireOptions;
      const keys = keysOf(acquireOptions.key);
      const leaseId = limits.concurrentRequests === undefined ? '' : randomUUID();
      const reply = await client.mixrouteRateLimitAcquire(
        keys.requests,
        keys.tokens,
        keys.leases,
        timeArgument(acquireOptions.now),
        limits.requestsPerMinute ?? '',
        limits.tokensPerMinute ?? '',
        limits.concurrentRequests ?? '',
        estimatedTokens,
        leaseId,
        leaseTtlMs,
        CONCURRENCY_RETRY_AFTER_MS,
      );
      const result = parseAcquireReply(reply);
      const levels = { limits, requestsLevel: result.requestsLevel, tokensLevel: result.tokensLevel, now: result.now };
      if (!result.allowed) {
        return {
          allowed: false,
          limit: result.refusedLimit,
          retryAfterMs: Math.ceil(result.retryAfterMs),
          headers: buildRateLimitHeaders({ ...levels, retryAfterMs: result.retryAfterMs }),
          levels,
        };
      }

      let released = false;
      return {
        allowed: true,
        headers: buildRateLimitHeaders(levels),
        levels,
        lease: {
          async release(releaseOptions) {
            assertTokenCount('actualTokens', releaseOptions.actualTokens);
            if (released) return;
            released = true;
            const correction = estimatedTokens - releaseOptions.actualTokens;
            if (leaseId === '' && (limits.tokensPerMinute === undefined || correction === 0)) return;
            // Limits as they were at acquire time: the estimate was taken from that bucket.
            await client.mixrouteRateLimitRelease(
              keys.tokens,
              keys.leases,
              timeArgument(releaseOptions.now),
              limits.tokensPerMinute ?? '',
              correction,
              leaseId,
            );
          },
        },
      };
    },

    async close() {
      if (closed) return;
      closed = true;
      await client.quit();
    },
  };
}

type AcquireResult =
  | { allowed: true; now: number; requestsLevel: number | undefined; tokensLevel: number | undefined }
  | {
      allowed: false;
      refusedLimit: 'requests' | 'tokens' | 'concurrency';
      retryAfterMs: number;
      now: number;
      requestsLevel: number | undefined;
      tokensLevel: number | undefined;
    };

/** The script's reply, checked: a mismatch between script and code must fail loudly. */
function parseAcquireReply(reply: unknown): AcquireResult {
  if (!Array.isArray(reply) || reply.length !== 6) {
    throw new Error(`unexpected rate-limit script reply: ${JSON.stringify(reply)}`);
  }
  const [allowed, refusedLimit, retryAfterMs, now, requestsLevel, tokensLevel] = reply as unknown[];
  const level = (value: unknown): number | undefined => (value === '' ? undefined : Number(value));
  const common = { now: Number(now), requestsLevel: level(requestsLevel), tokensLevel: level(tokensLevel) };
  if (allowed === 1) return { allowed: true, ...common };
  if (refusedLimit !== 'requests' && refusedLimit !== 'tokens' && refusedLimit !== 'concurrency') {
    throw new Error(`unexpected rate-limit script reply: ${JSON.stringify(reply)}`);
  }
  return { allowed: false, refusedLimit, retryAfterMs: Number(retryAfterMs), ...common };
}

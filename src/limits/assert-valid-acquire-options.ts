import type { RateLimits } from './rate-limiter.js';

/**
 * Rejects limits and token counts that would make the bucket arithmetic meaningless (NaN,
 * negative or fractional capacities, a zero refill rate with an infinite retry-after).
 * Configuration should never produce them; failing loudly beats silently admitting everyone.
 */
export function assertValidAcquireOptions(options: { limits: RateLimits; estimatedTokens: number }): void {
  const { limits } = options;
  assertPositiveInteger('requestsPerMinute', limits.requestsPerMinute);
  assertPositiveInteger('tokensPerMinute', limits.tokensPerMinute);
  assertPositiveInteger('concurrentRequests', limits.concurrentRequests);
  assertTokenCount('estimatedTokens', options.estimatedTokens);
}

/** Token counts reported at release: whole, finite, not negative. */
export function assertTokenCount(name: string, value: number): void {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new RangeError(`${name} must be a non-negative integer, got ${String(value)}`);
  }
}

function assertPositiveInteger(name: string, value: number | undefined): void {
  if (value === undefined) return;
  if (!Number.isSafeInteger(value) || value < 1) {
    throw new RangeError(`${name} must be a positive integer or undefined, got ${String(value)}`);
  }
}

import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { createRedisRateLimiter } from '../../src/limits/create-redis-rate-limiter.js';
import { CONCURRENCY_LEASE_TTL_MS, type RateLimitDecision, type RateLimiter } from '../../src/limits/rate-limiter.js';
import { deleteRedisKeys } from './delete-redis-keys.js';

const url = process.env.REDIS_URL;

/**
 * Two limiters on two connections stand for two mixroute instances: through Redis they must
 * enforce one limit, not one each.
 */
if (url === undefined || url === '') {
  describe('redis rate limiter shared by two instances', () => {
    it.skip('skipped: REDIS_URL not set', () => {});
  });
} else {
  const redisUrl = url;
  const keyPrefix = `mixroute-test:${randomUUID()}:`;
  const open: RateLimiter[] = [];

  function createInstances(now?: () => number): [RateLimiter, RateLimiter] {
    const create = (): RateLimiter => createRedisRateLimiter({ url: redisUrl, keyPrefix, now });
    const instances: [RateLimiter, RateLimiter] = [create(), create()];
    open.push(...instances);
    return instances;
  }

  afterEach(async () => {
    await Promise.all(open.splice(0).map((limiter) => limiter.close()));
  });
  afterAll(async () => {
    await deleteRedisKeys({ url, prefix: keyPrefix });
  });

  describe('redis rate limiter shared by two instances', () => {
    it('enforces one requests-per-minute limit across instances (server clock)', async () => {
      const [first, second] = createInstances();
      const decisions: RateLimitDecision[] = [];
      for (let index = 0; index < 20; index += 1) {
        const instance = index % 2 === 0 ? first : second;
        decisions.push(await instance.acquire({ key: 'rpm', limits: { requestsPerMinute: 10 }, estimatedTokens: 0 }));
      }
      expect(decisions.filter((decision) => decision.allowed)).toHaveLength(10);
      // The first ten pass, whichever instance took them; the rest are refused on both.
      expect(decisions.slice(0, 10).every((decision) => decision.allowed)).toBe(true);
    });

    it('enforces one limit when both instances acquire at the same time', async () => {
      const [first, second] = createInstances();
      const limits = { requestsPerMinute: 100, tokensPerMinute: 10_000, concurrentRequests: 30 };
      const decisions = await Promise.all(
        Array.from({ length: 120 }, (_, index) =>
          (index % 2 === 0 ? first : second).acquire({ key: 'burst', limits, estimatedTokens: 10 }),
        ),
      );
      expect(decisions.filter((decision) => decision.allowed)).toHaveLength(30);
    });

    it('lets one instance use the slot and tokens another instance released', async () => {
      const [first, second] = createInstances();
      const limits = { tokensPerMinute: 1000, concurrentRequests: 1 };
      const decision = await first.acquire({ key: 'handover', limits, estimatedTokens: 900 });
      if (!decision.allowed) throw new Error('first acquire refused');
      expect(await second.acquire({ key: 'handover', limits, estimatedTokens: 500 })).toMatchObject({
        allowed: false,
        limit: 'tokens',
      });
      await decision.lease.release({ actualTokens: 100 });
      const next = await second.acquire({ key: 'handover', limits, estimatedTokens: 500 });
      expect(next.allowed).toBe(true);
    });

    it("frees a crashed instance's slots after the lease TTL", async () => {
      let time = Date.UTC(2025, 0, 1);
      const [crashed, survivor] = createInstances(() => time);
      const limits = { concurrentRequests: 2 };
      expect((await crashed.acquire({ key: 'crash', limits, estimatedTokens: 0 })).allowed).toBe(true);
      expect((await crashed.acquire({ key: 'crash', limits, estimatedTokens: 0 })).allowed).toBe(true);
      await crashed.close(); // never releases its leases
      expect((await survivor.acquire({ key: 'crash', limits, estimatedTokens: 0 })).allowed).toBe(false);
      time += CONCURRENCY_LEASE_TTL_MS;
      expect((await survivor.acquire({ key: 'crash', limits, estimatedTokens: 0 })).allowed).toBe(true);
      expect((await survivor.acquire({ key: 'crash', limits, estimatedTokens: 0 })).allowed).toBe(true);
      expect((await survivor.acquire({ key: 'crash', limits, estimatedTokens: 0 })).allowed).toBe(false);
    });
  });
}

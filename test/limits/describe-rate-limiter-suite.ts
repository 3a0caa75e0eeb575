import { afterEach, describe, expect, it } from 'vitest';
import {
  CONCURRENCY_LEASE_TTL_MS,
  CONCURRENCY_RETRY_AFTER_MS,
  type RateLimitDecision,
  type RateLimiter,
  type RateLimitLease,
  type RateLimits,
} from '../../src/limits/rate-limiter.js';

/** A round second, so reset headers land on exact, readable times. */
const START = Date.UTC(2025, 0, 1, 0, 0, 0);

type FakeClock = { now: () => number; advance: (milliseconds: number) => void };

function createFakeClock(): FakeClock {
  let time = START;
  return {
    now: () => time,
    advance: (milliseconds) => {
      time += milliseconds;
    },
  };
}

function leaseOf(decision: RateLimitDecision): RateLimitLease {
  if (!decision.allowed) throw new Error(`expected an allowed decision, got ${JSON.stringify(decision)}`);
  return decision.lease;
}

function iso(milliseconds: number): string {
  return new Date(milliseconds).toISOString().replace('.000Z', 'Z');
}

/**
 * The behaviour every RateLimiter must have, run against the memory and the Redis
 * implementations. `createLimiter` without `now` must use the implementation's real clock.
 */
export function describeRateLimiterSuite(
  title: string,
  options: { createLimiter: (options: { now?: () => number }) => RateLimiter },
): void {
  describe(title, () => {
    const open: RateLimiter[] = [];
    let keyCounter = 0;

    afterEach(async () => {
      await Promise.all(open.splice(0).map((limiter) => limiter.close()));
    });

    /** A fresh limiter on a fake clock, and a key no other test uses (the Redis prefix is per run). */
    function setUp(): { limiter: RateLimiter; clock: FakeClock; key: string } {
      const clock = createFakeClock();
      const limiter = options.createLimiter({ now: clock.now });
      open.push(limiter);
      keyCounter += 1;
      return { limiter, clock, key: `key-${keyCounter}` };
    }

    describe('requests per minute', () => {
      const limits: RateLimits = { requestsPerMinute: 60 };

      it('allows exactly the limit, then refuses with the time one request takes to refill', async () => {
        const { limiter, key } = setUp();
        for (let index = 0; index < 60; index += 1) {
          const decision = await limiter.acquire({ key, limits, estimatedTokens: 0 });
          expect(decision.allowed, `acquire ${index + 1}`).toBe(true);
        }
        const refused = await limiter.acquire({ key, limits, estimatedTokens: 0 });
        expect(refused).toMatchObject({ allowed: false, limit: 'requests', retryAfterMs: 1000 });
      });

      it('refills continuously over time', async () => {
        const { limiter, clock, key } = setUp();
        for (let index = 0; index < 60; index += 1) await limiter.acquire({ key, limits, estimatedTokens: 0 });

        clock.advance(250);
        const early = await limiter.acquire({ key, limits, estimatedTokens: 0 });
        expect(early).toMatchObject({ allowed: false, limit: 'requests', retryAfterMs: 750 });

        clock.advance(750);
        expect((await limiter.acquire({ key, limits, estimatedTokens: 0 })).allowed).toBe(true);
        expect((await limiter.acquire({ key, limits, estimatedTokens: 0 })).allowed).toBe(false);

        // Half a minute refills half the bucket, a whole minute all of it and no more.
        clock.advance(30_000);
        let allowed = 0;
        for (let index = 0; index < 40; index += 1) {
          if ((await limiter.acquire({ key, limits, estimatedTokens: 0 })).allowed) allowed += 1;
        }
        expect(allowed).toBe(30);

        clock.advance(5 * 60_000);
        allowed = 0;
        for (let index = 0; index < 70; index += 1) {
          if ((await limiter.acquire({ key, limits, estimatedTokens: 0 })).allowed) allowed += 1;
        }
        expect(allowed).toBe(60);
      });

      it('takes a per-call time over the injected clock', async () => {
        const { limiter, key } = setUp();
        const single: RateLimits = { requestsPerMinute: 1 };
        expect((await limiter.acquire({ key, limits: single, estimatedTokens: 0, now: START })).allowed).toBe(true);
        const refused = await limiter.acquire({ key, limits: single, estimatedTokens: 0, now: START + 30_000 });
        expect(refused).toMatchObject({ allowed: false, retryAfterMs: 30_000 });
        const later = await limiter.acquire({ key, limits: single, estimatedTokens: 0, now: START + 60_000 });
        expect(later.allowed).toBe(true);
      });
    });

    describe('tokens per minute', () => {
      const limits: RateLimits = { tokensPerMinute: 1000 };

      it('reserves the estimate at acquire time', async () => {
        const { limiter, key } = setUp();
        expect((await limiter.acquire({ key, limits, estimatedTokens: 600 })).allowed).toBe(true);
        const refused = await limiter.acquire({ key, limits, estimatedTokens: 600 });
        // 400 left, 600 needed: 200 tokens at 1000 per minute take 12 s.
        expect(refused).toMatchObject({ allowed: false, limit: 'tokens', retryAfterMs: 12_000 });
        expect((await limiter.acquire({ key, limits, estimatedTokens: 400 })).allowed).toBe(true);
      });

      it('refunds the unused estimate on release', async () => {
        const { limiter, key } = setUp();
        const lease = leaseOf(await limiter.acquire({ key, limits, estimatedTokens: 600 }));
        expect((await limiter.acquire({ key, limits, estimatedTokens: 600 })).allowed).toBe(false);
        await lease.release({ actualTokens: 100 });
        const next = await limiter.acquire({ key, limits, estimatedTokens: 600 });
        expect(next.allowed).toBe(true);
        expect(next.headers['anthropic-ratelimit-tokens-remaining']).toBe('300');
      });

      it('never refunds above the limit (tokens used never go below zero)', async () => {
        const { limiter, clock, key } = setUp();
        const lease = leaseOf(await limiter.acquire({ key, limits, estimatedTokens: 800 }));
        clock.advance(60_000);
        await lease.release({ actualTokens: 0 });
        const next = await limiter.acquire({ key, limits, estimatedTokens: 0 });
        expect(next.headers['anthropic-ratelimit-tokens-remaining']).toBe('1000');
        expect((await limiter.acquire({ key, limits, estimatedTokens: 1001 })).allowed).toBe(true);
        expect((await limiter.acquire({ key, limits, estimatedTokens: 1 })).allowed).toBe(false);
      });

      it('charges usage above the estimate, which the key then waits out', async () => {
        const { limiter, key } = setUp();
        const lease = leaseOf(await limiter.acquire({ key, limits, estimatedTokens: 500 }));
        await lease.release({ actualTokens: 1500 });
        const refused = await limiter.acquire({ key, limits, estimatedTokens: 1 });
        // Level -500, 1 needed: 501 tokens at 1000 per minute take 30 060 ms.
        expect(refused).toMatchObject({ allowed: false, limit: 'tokens', retryAfterMs: 30_060 });
        expect(refused.headers['anthropic-ratelimit-tokens-remaining']).toBe('0');
      });

      it('admits an estimate above the whole limit only when the bucket is full', async () => {
        const { limiter, clock, key } = setUp();
        expect((await limiter.acquire({ key, limits, estimatedTokens: 10 })).allowed).toBe(true);
        const refused = await limiter.acquire({ key, limits, estimatedTokens: 5000 });
        expect(refused).toMatchObject({ allowed: false, limit: 'tokens', retryAfterMs: 600 });
        clock.advance(600);
        expect((await limiter.acquire({ key, limits, estimatedTokens: 5000 })).allowed).toBe(true);
        // Level -4000, 1 needed: 4001 tokens at 1000 per minute take 240 060 ms.
        const inDebt = await limiter.acquire({ key, limits, estimatedTokens: 1 });
        expect(inDebt).toMatchObject({ allowed: false, limit: 'tokens', retryAfterMs: 240_060 });
      });

      it('releases twice without correcting twice', async () => {
        const { limiter, key } = setUp();
        const lease = leaseOf(await limiter.acquire({ key, limits, estimatedTokens: 500 }));
        await lease.release({ actualTokens: 100 });
        await lease.release({ actualTokens: 100 });
        const next = await limiter.acquire({ key, limits, estimatedTokens: 0 });
        expect(next.headers['anthropic-ratelimit-tokens-remaining']).toBe('900');
      });

      it('rejects invalid token counts and limits', async () => {
        const { limiter, key } = setUp();
        await expect(limiter.acquire({ key, limits, estimatedTokens: -1 })).rejects.toThrow(RangeError);
        await expect(limiter.acquire({ key, limits, estimatedTokens: Number.NaN })).rejects.toThrow(RangeError);
        await expect(
          limiter.acquire({ key, limits: { requestsPerMinute: 0 }, estimatedTokens: 1 }),
        ).rejects.toThrow(RangeError);
        const lease = leaseOf(await limiter.acquire({ key, limits, estimatedTokens: 1 }));
        await expect(lease.release({ actualTokens: -5 })).rejects.toThrow(RangeError);
      });
    });

    describe('concurrent requests', () => {
      const limits: RateLimits = { concurrentRequests: 2 };

      it('holds a slot until release, whatever the time', async () => {
        const { limiter, clock, key } = setUp();
        const first = leaseOf(await limiter.acquire({ key, limits, estimatedTokens: 0 }));
        leaseOf(await limiter.acquire({ key, limits, estimatedTokens: 0 }));
        const refused = await limiter.acquire({ key, limits, estimatedTokens: 0 });
        expect(refused).toMatchObject({
          allowed: false,
          limit: 'concurrency',
          retryAfterMs: CONCURRENCY_RETRY_AFTER_MS,
          headers: { 'retry-after': '1' },
        });

        clock.advance(5 * 60_000);
        expect((await limiter.acquire({ key, limits, estimatedTokens: 0 })).allowed).toBe(false);

        await first.release({ actualTokens: 0 });
        expect((await limiter.acquire({ key, limits, estimatedTokens: 0 })).allowed).toBe(true);
        expect((await limiter.acquire({ key, limits, estimatedTokens: 0 })).allowed).toBe(false);
      });

      it('expires a lease that is never released after the lease TTL', async () => {
        const { limiter, clock, key } = setUp();
        const single: RateLimits = { concurrentRequests: 1 };
        const abandoned = leaseOf(await limiter.acquire({ key, limits: single, estimatedTokens: 0 }));

        clock.advance(CONCURRENCY_LEASE_TTL_MS - 1);
        expect((await limiter.acquire({ key, limits: single, estimatedTokens: 0 })).allowed).toBe(false);

        clock.advance(1);
        const successor = await limiter.acquire({ key, limits: single, estimatedTokens: 0 });
        expect(successor.allowed).toBe(true);

        // The late release of the expired lease must not free the successor's slot.
        await abandoned.release({ actualTokens: 0 });
        expect((await limiter.acquire({ key, limits: single, estimatedTokens: 0 })).allowed).toBe(false);
      });
    });

    describe('several limits', () => {
      it('names the limit with the longest wait', async () => {
        const { limiter, key } = setUp();
        const limits: RateLimits = { requestsPerMinute: 1, tokensPerMinute: 1000, concurrentRequests: 5 };
        expect((await limiter.acquire({ key, limits, estimatedTokens: 1000 })).allowed).toBe(true);
        // Requests need 60 s to refill one, tokens 60 ms for one token, concurrency has room.
        const refused = await limiter.acquire({ key, limits, estimatedTokens: 1 });
        expect(refused).toMatchObject({
          allowed: false,
          limit: 'requests',
          retryAfterMs: 60_000,
          headers: { 'retry-after': '60' },
        });
      });

      it('changes nothing when it refuses', async () => {
        const { limiter, key } = setUp();
        const limits: RateLimits = { requestsPerMinute: 10, tokensPerMinute: 100, concurrentRequests: 2 };
        leaseOf(await limiter.acquire({ key, limits, estimatedTokens: 100 }));
        for (let index = 0; index < 5; index += 1) {
          const refused = await limiter.acquire({ key, limits, estimatedTokens: 50 });
          expect(refused).toMatchObject({ allowed: false, limit: 'tokens' });
        }
        const check = await limiter.acquire({ key, limits, estimatedTokens: 0 });
        expect(check.allowed).toBe(true);
        // 1 request for the first acquire and 1 for this one: the refusals took none, nor a slot.
        expect(check.headers['anthropic-ratelimit-requests-remaining']).toBe('8');
        expect((await limiter.acquire({ key, limits, estimatedTokens: 0 })).allowed).toBe(false);
      });

      it('keeps keys independent', async () => {
        const { limiter, key } = setUp();
        const limits: RateLimits = { requestsPerMinute: 1, tokensPerMinute: 10, concurrentRequests: 1 };
        expect((await limiter.acquire({ key, limits, estimatedTokens: 10 })).allowed).toBe(true);
        expect((await limiter.acquire({ key, limits, estimatedTokens: 10 })).allowed).toBe(false);
        expect((await limiter.acquire({ key: `${key}-other`, limits, estimatedTokens: 10 })).allowed).toBe(true);
      });

      it('is unlimited when no limit is set, and sends no headers', async () => {
        const { limiter, key } = setUp();
        const leases: RateLimitLease[] = [];
        for (let index = 0; index < 300; index += 1) {
          const decision = await limiter.acquire({ key, limits: {}, estimatedTokens: 1_000_000 });
          expect(decision.headers).toEqual({});
          leases.push(leaseOf(decision));
        }
        await Promise.all(leases.map((lease) => lease.release({ actualTokens: 2_000_000 })));
        expect((await limiter.acquire({ key, limits: {}, estimatedTokens: 0 })).allowed).toBe(true);
      });
    });

    describe('headers', () => {
      it('reports limit, remaining and full-replenishment time for requests and tokens', async () => {
        const { limiter, key } = setUp();
        const limits: RateLimits = { requestsPerMinute: 60, tokensPerMinute: 1000, concurrentRequests: 3 };
        const allowed = await limiter.acquire({ key, limits, estimatedTokens: 100 });
        expect(allowed.headers).toEqual({
          'anthropic-ratelimit-requests-limit': '60',
          'anthropic-ratelimit-requests-remaining': '59',
          'anthropic-ratelimit-requests-reset': iso(START + 1000),
          'anthropic-ratelimit-tokens-limit': '1000',
          'anthropic-ratelimit-tokens-remaining': '900',
          'anthropic-ratelimit-tokens-reset': iso(START + 6000),
        });
        expect(allowed.headers['anthropic-ratelimit-requests-reset']).toBe('2025-01-01T00:00:01Z');
      });

      it('rounds the reset time up to the second and adds retry-after to refusals', async () => {
        const { limiter, clock, key } = setUp();
        const limits: RateLimits = { requestsPerMinute: 7, tokensPerMinute: 1000 };
        clock.advance(400);
        for (let index = 0; index < 7; index += 1) await limiter.acquire({ key, limits, estimatedTokens: 10 });
        const refused = await limiter.acquire({ key, limits, estimatedTokens: 10 });
        // One request of 7 per minute refills in 8571.43 ms; all seven in a minute.
        expect(refused).toMatchObject({ allowed: false, limit: 'requests', retryAfterMs: 8572 });
        expect(refused.headers).toEqual({
          'anthropic-ratelimit-requests-limit': '7',
          'anthropic-ratelimit-requests-remaining': '0',
          'anthropic-ratelimit-requests-reset': iso(START + 61_000),
          'anthropic-ratelimit-tokens-limit': '1000',
          'anthropic-ratelimit-tokens-remaining': '930',
          'anthropic-ratelimit-tokens-reset': iso(START + 5000),
          'retry-after': '9',
        });
      });

      it('reports the levels it decided on, for rendering in another dialect', async () => {
        const { limiter, key } = setUp();
        const limits: RateLimits = { requestsPerMinute: 60, tokensPerMinute: 1000 };
        const allowed = await limiter.acquire({ key, limits, estimatedTokens: 100 });
        expect(allowed.levels).toEqual({ limits, requestsLevel: 59, tokensLevel: 900, now: START });
        const refused = await limiter.acquire({ key, limits: { tokensPerMinute: 1000 }, estimatedTokens: 950 });
        expect(refused).toMatchObject({ allowed: false, levels: { requestsLevel: undefined, tokensLevel: 900, now: START } });
      });

      it('reports only the limits that are set', async () => {
        const { limiter, key } = setUp();
        const decision = await limiter.acquire({ key, limits: { tokensPerMinute: 50 }, estimatedTokens: 5 });
        expect(Object.keys(decision.headers).sort()).toEqual([
          'anthropic-ratelimit-tokens-limit',
          'anthropic-ratelimit-tokens-remaining',
          'anthropic-ratelimit-tokens-reset',
        ]);
      });
    });

    describe('concurrent acquires', () => {
      it.each<[string, RateLimits, number]>([
        ['requests per minute', { requestsPerMinute: 50 }, 0],
        ['tokens per minute', { tokensPerMinute: 5000 }, 100],
        ['concurrent requests', { concurrentRequests: 50 }, 0],
      ])('admits exactly 50 of 200 simultaneous acquires (%s)', async (_name, limits, estimatedTokens) => {
        const { limiter, key } = setUp();
        const decisions = await Promise.all(
          Array.from({ length: 200 }, () => limiter.acquire({ key, limits, estimatedTokens })),
        );
        expect(decisions.filter((decision) => decision.allowed)).toHaveLength(50);
      });
    });

    it('uses the real clock when none is injected', async () => {
      const limiter = options.createLimiter({});
      open.push(limiter);
      const before = Date.now();
      const decision = await limiter.acquire({
        key: `real-clock-${before}`,
        limits: { requestsPerMinute: 60 },
        estimatedTokens: 0,
      });
      const reset = Date.parse(decision.headers['anthropic-ratelimit-requests-reset'] ?? '');
      // One request of 60 per minute refills in a second; allow for clock skew with the store.
      expect(reset).toBeGreaterThanOrEqual(before - 5000);
      expect(reset).toBeLessThanOrEqual(before + 7000);
    });
  });
}

import { randomUUID } from 'node:crypto';
import { afterAll, describe, it } from 'vitest';
import { createRedisRateLimiter } from '../../src/limits/create-redis-rate-limiter.js';
import { deleteRedisKeys } from './delete-redis-keys.js';
import { describeRateLimiterSuite } from './describe-rate-limiter-suite.js';

const url = process.env.REDIS_URL;

if (url === undefined || url === '') {
  describe('redis rate limiter', () => {
    it.skip('skipped: REDIS_URL not set', () => {});
  });
} else {
  // A prefix of its own per run: runs in parallel never share state, and cleanup is exact.
  const keyPrefix = `mixroute-test:${randomUUID()}:`;
  afterAll(async () => {
    await deleteRedisKeys({ url, prefix: keyPrefix });
  });
  describeRateLimiterSuite('redis rate limiter', {
    createLimiter: ({ now }) => createRedisRateLimiter({ url, keyPrefix, now }),
  });
}

import { createMemoryRateLimiter } from '../../src/limits/create-memory-rate-limiter.js';
import { describeRateLimiterSuite } from './describe-rate-limiter-suite.js';

describeRateLimiterSuite('memory rate limiter', {
  createLimiter: ({ now }) => createMemoryRateLimiter({ now }),
});

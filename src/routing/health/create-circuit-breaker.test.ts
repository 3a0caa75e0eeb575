import { describe, expect, it } from 'vitest';
import { createCircuitBreaker, type BreakerStateChange, type CircuitBreakerOptions } from './create-circuit-breaker.js';

function setup(options: CircuitBreakerOptions = {}) {
  const clock = { time: 0 };
  const changes: BreakerStateChange[] = [];
  const breaker = createCircuitBreaker({ ...options, now: () => clock.time, onStateChange: (change) => changes.push(change) });
  return { clock, changes, breaker };
}

/** Opens a default breaker (5 consecutive failures) at `clock.time`. */
function failFiveTimes(breaker: { recordFailure(): void }): void {
  for (let i = 0; i < 5; i++) breaker.recordFailure();
}

describe('createCircuitBreaker', () => {
  describe('closed', () => {
    it('lets every request through', () => {
      const { breaker } = setup();
      expect(breaker.state()).toBe('closed');
      expect(breaker.tryAcquire()).toBe(true);
      expect(breaker.tryAcquire()).toBe(true);
      expect(breaker.peek()).toBe(true);
    });

    it('opens on exactly failureThreshold consecutive failures', () => {
      const { breaker, changes } = setup();
      for (let i = 0; i < 4; i++) breaker.recordFailure();
      expect(breaker.state()).toBe('closed');
      breaker.recordFailure();
      expect(breaker.state()).toBe('open');
      expect(changes).toEqual([{ from: 'closed', to: 'open', reason: '5 consecutive failures' }]);
    });

    it('starts counting consecutive failures again after a success', () => {
      const { breaker } = setup();
      for (let i = 0; i < 4; i++) breaker.recordFailure();
      breaker.recordSuccess();
      for (let i = 0; i < 4; i++) breaker.recordFailure();
      expect(breaker.state()).toBe('closed');
      expect(breaker.snapshot().consecutiveFailures).toBe(4);
      breaker.recordFailure();
      expect(breaker.state()).toBe('open');
    });

    it('opens when the error rate reaches the threshold exactly, once the window holds minimumRequests', () => {
      // Defaults: 0.5 over at least 20 requests. Alternating success, failure never
      // makes two failures in a row, so only the rate can open it.
      const { breaker, changes } = setup();
      for (let i = 0; i < 9; i++) {
        breaker.recordSuccess();
        breaker.recordFailure();
      }
      breaker.recordSuccess();
      // 19 requests, 9 failures.
      expect(breaker.snapshot()).toEqual({ state: 'closed', consecutiveFailures: 0, windowRequests: 19, windowFailures: 9 });
      breaker.recordFailure();
      // 20 requests, 10 failures: 0.5 >= 0.5.
      expect(breaker.state()).toBe('open');
      expect(changes).toEqual([{ from: 'closed', to: 'open', reason: '10 of 20 requests failed within 60000 ms' }]);
    });

    it('stays closed just below the error rate', () => {
      const { breaker } = setup({ failureThreshold: 100, minimumRequests: 4 });
      breaker.recordSuccess();
      breaker.recordSuccess();
      breaker.recordSuccess();
      breaker.recordFailure(); // 1 of 4 = 0.25
      breaker.recordFailure(); // 2 of 5 = 0.4
      expect(breaker.state()).toBe('closed');
      breaker.recordFailure(); // 3 of 6 = 0.5
      expect(breaker.state()).toBe('open');
    });

    it('ignores the error rate until the window holds minimumRequests', () => {
      const { breaker } = setup({ failureThreshold: 100, minimumRequests: 4 });
      breaker.recordFailure();
      breaker.recordFailure();
      breaker.recordFailure(); // 3 of 3, but fewer than 4 requests
      expect(breaker.state()).toBe('closed');
      breaker.recordFailure(); // 4 of 4
      expect(breaker.state()).toBe('open');
    });

    it('forgets failures older than the window', () => {
      const options = { failureThreshold: 100, minimumRequests: 4, windowMs: 10_000 };

      const kept = setup(options);
      kept.breaker.recordFailure();
      kept.breaker.recordFailure();
      kept.breaker.recordFailure();
      kept.clock.time = 9_999;
      kept.breaker.recordFailure(); // the three at 0 still count: 4 of 4
      expect(kept.breaker.state()).toBe('open');

      const expired = setup(options);
      expired.breaker.recordFailure();
      expired.breaker.recordFailure();
      expired.breaker.recordFailure();
      expired.clock.time = 9_999;
      expired.breaker.recordSuccess(); // 4 requests, 3 failures; a success never opens it
      expired.clock.time = 10_000;
      expired.breaker.recordFailure(); // the bucket of 0 is gone: 1 of 2
      expect(expired.breaker.state()).toBe('closed');
      expect(expired.breaker.snapshot()).toEqual({
        state: 'closed',
        consecutiveFailures: 1,
        windowRequests: 2,
        windowFailures: 1,
      });
    });
  });

  describe('open', () => {
    it('refuses until the cool-down has elapsed, then hands out exactly one trial', () => {
      const { breaker, clock, changes } = setup();
      clock.time = 1_000;
      failFiveTimes(breaker);

      clock.time = 30_999; // 29 999 ms after opening
      expect(breaker.peek()).toBe(false);
      expect(breaker.tryAcquire()).toBe(false);
      expect(breaker.state()).toBe('open');

      clock.time = 31_000;
      // peek tells, but does not take the trial.
      expect(breaker.peek()).toBe(true);
      expect(breaker.state()).toBe('open');

      expect(breaker.tryAcquire()).toBe(true);
      expect(breaker.state()).toBe('half_open');
      // Concurrent callers while the trial is in flight.
      expect(breaker.tryAcquire()).toBe(false);
      expect(breaker.tryAcquire()).toBe(false);
      expect(breaker.peek()).toBe(false);
      expect(changes.map(({ to, reason }) => [to, reason])).toEqual([
        ['open', '5 consecutive failures'],
        ['half_open', 'cool-down of 30000 ms elapsed'],
      ]);
    });

    it('ignores results of requests sent before it opened', () => {
      const { breaker, clock } = setup();
      clock.time = 1_000;
      failFiveTimes(breaker);
      clock.time = 2_000;
      breaker.recordSuccess();
      breaker.recordFailure();
      expect(breaker.state()).toBe('open');
      expect(breaker.snapshot().openedAt).toBe(1_000);
      expect(breaker.snapshot().consecutiveFailures).toBe(5);
    });

    it('reports when it opened', () => {
      const { breaker, clock } = setup();
      clock.time = 7_000;
      failFiveTimes(breaker);
      expect(breaker.snapshot()).toEqual({
        state: 'open',
        consecutiveFailures: 5,
        windowRequests: 5,
        windowFailures: 5,
        openedAt: 7_000,
      });
    });
  });

  describe('half-open', () => {
    function halfOpen(options: CircuitBreakerOptions = {}) {
      const context = setup(options);
      failFiveTimes(context.breaker); // opens at 0
      context.clock.time = 30_000;
      expect(context.breaker.tryAcquire()).toBe(true);
      return context;
    }

    it('closes on the trial success and resets the counters', () => {
      const { breaker, changes } = halfOpen();
      breaker.recordSuccess();
      expect(breaker.state()).toBe('closed');
      expect(breaker.snapshot()).toEqual({ state: 'closed', consecutiveFailures: 0, windowRequests: 0, windowFailures: 0 });
      expect(changes.at(-1)).toEqual({ from: 'half_open', to: 'closed', reason: 'trial request succeeded' });
      expect(breaker.tryAcquire()).toBe(true);
      expect(breaker.tryAcquire()).toBe(true);
      // A clean slate: four new failures do not reopen it.
      for (let i = 0; i < 4; i++) breaker.recordFailure();
      expect(breaker.state()).toBe('closed');
    });

    it('reopens on the trial failure for another full cool-down', () => {
      const { breaker, clock, changes } = halfOpen();
      clock.time = 31_000;
      breaker.recordFailure();
      expect(breaker.state()).toBe('open');
      expect(breaker.snapshot().openedAt).toBe(31_000);
      expect(changes.at(-1)).toEqual({ from: 'half_open', to: 'open', reason: 'trial request failed' });

      clock.time = 60_999;
      expect(breaker.tryAcquire()).toBe(false);
      clock.time = 61_000;
      expect(breaker.tryAcquire()).toBe(true);
      expect(breaker.state()).toBe('half_open');
    });

    it('hands out another trial when the first one is not answered within the cool-down', () => {
      const { breaker, clock, changes } = halfOpen(); // trial taken at 30 000
      clock.time = 59_999;
      expect(breaker.tryAcquire()).toBe(false);
      clock.time = 60_000;
      expect(breaker.peek()).toBe(true);
      expect(breaker.tryAcquire()).toBe(true);
      // Still one at a time: the replacement trial is now the one in flight.
      expect(breaker.tryAcquire()).toBe(false);
      expect(breaker.state()).toBe('half_open');
      expect(changes).toHaveLength(2); // opened, half-open: no spurious transition
      breaker.recordSuccess();
      expect(breaker.state()).toBe('closed');
    });

    it('frees the trial at once when it is released without a verdict', () => {
      const { breaker } = halfOpen();
      expect(breaker.tryAcquire()).toBe(false);
      breaker.release();
      expect(breaker.state()).toBe('half_open');
      expect(breaker.tryAcquire()).toBe(true);
      expect(breaker.tryAcquire()).toBe(false);
    });

    it('keeps reporting when it opened', () => {
      const { breaker } = halfOpen();
      expect(breaker.snapshot().state).toBe('half_open');
      expect(breaker.snapshot().openedAt).toBe(0);
    });
  });

  it('release does nothing when closed or open', () => {
    const { breaker } = setup();
    breaker.release();
    expect(breaker.state()).toBe('closed');
    failFiveTimes(breaker);
    breaker.release();
    expect(breaker.state()).toBe('open');
    expect(breaker.tryAcquire()).toBe(false);
  });

  it('rejects thresholds that would disable it or trip it on every request', () => {
    expect(() => createCircuitBreaker({ failureThreshold: 0 })).toThrow(RangeError);
    expect(() => createCircuitBreaker({ errorRateThreshold: 1.5 })).toThrow(RangeError);
    expect(() => createCircuitBreaker({ errorRateThreshold: Number.NaN })).toThrow(RangeError);
    expect(() => createCircuitBreaker({ minimumRequests: 0 })).toThrow(RangeError);
    expect(() => createCircuitBreaker({ windowMs: 0 })).toThrow(RangeError);
    expect(() => createCircuitBreaker({ coolDownMs: -1 })).toThrow(RangeError);
  });
});

import { describe, expect, it } from 'vitest';
import type { BreakerOptions } from './create-circuit-breaker.js';
import { createTargetHealth, type HealthEvent } from './create-target-health.js';

function setup(breaker: BreakerOptions = { failureThreshold: 3, coolDownMs: 10_000 }) {
  const clock = { time: 0 };
  const events: HealthEvent[] = [];
  const health = createTargetHealth({ breaker, now: () => clock.time, onEvent: (event) => events.push(event) });
  return { clock, events, health };
}

describe('createTargetHealth', () => {
  it('treats targets it has never heard of as available', () => {
    const { health } = setup();
    expect(health.peek('a', 0)).toBe(true);
    expect(health.isAvailable('a', 0)).toBe(true);
    expect(health.snapshot()).toEqual({
      breakers: [{ channelId: 'a', state: 'closed', consecutiveFailures: 0, windowRequests: 0, windowFailures: 0 }],
      credentials: [],
    });
  });

  describe('429', () => {
    it('cools down that credential for retryAfterMs, leaving its siblings and the breaker alone', () => {
      const { health, clock, events } = setup();
      clock.time = 1_000;
      health.recordFailure('a', 0, { kind: 'status', status: 429, retryAfterMs: 2_000 });

      clock.time = 2_999;
      expect(health.isAvailable('a', 0)).toBe(false);
      expect(health.peek('a', 0)).toBe(false);
      expect(health.isAvailable('a', 1)).toBe(true);
      expect(health.isAvailable('b', 0)).toBe(true);

      clock.time = 3_000;
      expect(health.isAvailable('a', 0)).toBe(true);
      expect(events).toEqual([{ type: 'credential_cooling_down', channelId: 'a', credentialIndex: 0, coolDownMs: 2_000 }]);
    });

    it('never counts as a breaker failure, however many arrive', () => {
      const { health } = setup();
      for (let i = 0; i < 10; i++) health.recordFailure('a', 0, { kind: 'status', status: 429, retryAfterMs: 0 });
      expect(health.snapshot().breakers).toEqual([
        { channelId: 'a', state: 'closed', consecutiveFailures: 0, windowRequests: 0, windowFailures: 0 },
      ]);
    });

    it('cools down for 1 s when retry-after is missing, and for at most 10 min', () => {
      const { health, clock } = setup();
      health.recordFailure('a', 0, { kind: 'status', status: 429 });
      health.recordFailure('a', 1, { kind: 'status', status: 429, retryAfterMs: 3_600_000 });
      health.recordFailure('a', 2, { kind: 'status', status: 429, retryAfterMs: -5 });
      clock.time = 999;
      expect(health.peek('a', 0)).toBe(false);
      expect(health.peek('a', 2)).toBe(false);
      clock.time = 1_000;
      expect(health.peek('a', 0)).toBe(true);
      expect(health.peek('a', 2)).toBe(true);
      clock.time = 599_999;
      expect(health.peek('a', 1)).toBe(false);
      clock.time = 600_000;
      expect(health.peek('a', 1)).toBe(true);
    });

    it('does not let a shorter retry-after cut a longer cool-down short', () => {
      const { health, clock } = setup();
      health.recordFailure('a', 0, { kind: 'status', status: 429, retryAfterMs: 5_000 });
      clock.time = 1_000;
      health.recordFailure('a', 0, { kind: 'status', status: 429, retryAfterMs: 1_000 });
      clock.time = 4_999;
      expect(health.peek('a', 0)).toBe(false);
      clock.time = 5_000;
      expect(health.peek('a', 0)).toBe(true);
    });

    it('is not lifted by a success that was already in flight', () => {
      const { health } = setup();
      health.recordFailure('a', 0, { kind: 'status', status: 429, retryAfterMs: 5_000 });
      health.recordSuccess('a', 0);
      expect(health.peek('a', 0)).toBe(false);
    });
  });

  describe('401 and 403', () => {
    it('401 disables the credential until it is re-enabled, with one event per credential; 403 disables nothing', () => {
      const { health, clock, events } = setup();
      health.recordFailure('a', 1, { kind: 'status', status: 401 });
      health.recordFailure('a', 1, { kind: 'status', status: 401 });
      health.recordFailure('a', 2, { kind: 'status', status: 403 });
      clock.time = 86_400_000;
      expect(health.isAvailable('a', 1)).toBe(false);
      // A 403 is as often about the request as about the key: one client must not take a key out.
      expect(health.isAvailable('a', 2)).toBe(true);
      expect(health.isAvailable('a', 0)).toBe(true);
      expect(health.snapshot().breakers[0]?.consecutiveFailures).toBe(0);
      expect(events).toEqual([{ type: 'credential_disabled', channelId: 'a', credentialIndex: 1, status: 401 }]);

      expect(health.reenableCredential('a', 1)).toBe(true);
      expect(health.isAvailable('a', 1)).toBe(true);
      expect(health.reenableCredential('a', 1)).toBe(false);
      expect(health.reenableCredential('a', 0)).toBe(false);
      expect(events.at(-1)).toEqual({ type: 'credential_reenabled', channelId: 'a', credentialIndex: 1 });
    });
  });

  describe('breaker failures', () => {
    it('count 5xx, 529, timeouts and connect errors, and open the channel for all its credentials', () => {
      const { health, clock, events } = setup();
      clock.time = 500;
      health.recordFailure('a', 0, { kind: 'status', status: 500 });
      health.recordFailure('a', 1, { kind: 'status', status: 529 });
      expect(health.isAvailable('a', 0)).toBe(true);
      health.recordFailure('a', 0, { kind: 'timeout' });
      expect(health.isAvailable('a', 0)).toBe(false);
      expect(health.isAvailable('a', 1)).toBe(false);
      expect(health.isAvailable('b', 0)).toBe(true);
      expect(events).toEqual([{ type: 'breaker_opened', channelId: 'a', reason: '3 consecutive failures' }]);

      const connect = setup();
      for (let i = 0; i < 3; i++) connect.health.recordFailure('c', 0, { kind: 'connect' });
      expect(connect.health.isAvailable('c', 0)).toBe(false);
    });

    it('do not include client errors such as 400 and 404', () => {
      const { health } = setup();
      for (let i = 0; i < 3; i++) health.recordFailure('a', 0, { kind: 'status', status: 400 });
      health.recordFailure('a', 0, { kind: 'status', status: 404 });
      expect(health.isAvailable('a', 0)).toBe(true);
      expect(health.snapshot().breakers[0]?.consecutiveFailures).toBe(0);
    });
  });

  describe('half-open channel', () => {
    /** Opens channel a at 0 (three 503s) and moves the clock past its cool-down. */
    function coolDownElapsed() {
      const context = setup();
      for (let i = 0; i < 3; i++) context.health.recordFailure('a', 0, { kind: 'status', status: 503 });
      context.clock.time = 10_000;
      return context;
    }

    it('gives the single trial to the first isAvailable, not to peek', () => {
      const { health, events } = coolDownElapsed();
      expect(health.peek('a', 0)).toBe(true);
      expect(health.peek('a', 1)).toBe(true);
      expect(health.isAvailable('a', 0)).toBe(true);
      expect(health.isAvailable('a', 1)).toBe(false);
      expect(health.peek('a', 1)).toBe(false);
      health.recordSuccess('a', 0);
      expect(health.isAvailable('a', 1)).toBe(true);
      expect(events.map((event) => event.type)).toEqual(['breaker_opened', 'breaker_half_open', 'breaker_closed']);
      expect(events.at(-1)).toEqual({ type: 'breaker_closed', channelId: 'a', reason: 'trial request succeeded' });
    });

    it('reopens when the trial fails', () => {
      const { health, clock, events } = coolDownElapsed();
      expect(health.isAvailable('a', 0)).toBe(true);
      health.recordFailure('a', 0, { kind: 'connect' });
      expect(events.at(-1)).toEqual({ type: 'breaker_opened', channelId: 'a', reason: 'trial request failed' });
      clock.time = 19_999;
      expect(health.isAvailable('a', 1)).toBe(false);
      clock.time = 20_000;
      expect(health.isAvailable('a', 1)).toBe(true);
    });

    it('does not spend the trial on a cooling credential', () => {
      const { health } = coolDownElapsed();
      health.recordFailure('a', 0, { kind: 'status', status: 429, retryAfterMs: 60_000 });
      expect(health.isAvailable('a', 0)).toBe(false);
      expect(health.isAvailable('a', 1)).toBe(true);
      expect(health.snapshot().breakers[0]?.state).toBe('half_open');
    });

    it('frees the trial when it ends in a rate limit or a rejected key', () => {
      const { health } = coolDownElapsed();
      expect(health.isAvailable('a', 0)).toBe(true);
      health.recordFailure('a', 0, { kind: 'status', status: 429, retryAfterMs: 5_000 });
      expect(health.isAvailable('a', 1)).toBe(true);
      health.recordFailure('a', 1, { kind: 'status', status: 401 });
      expect(health.isAvailable('a', 2)).toBe(true);
      expect(health.isAvailable('a', 3)).toBe(false);
    });
  });

  it('snapshots every breaker and every cooling or disabled credential with its remaining time', () => {
    const { health, clock } = setup();
    clock.time = 1_000;
    for (let i = 0; i < 3; i++) health.recordFailure('a', 0, { kind: 'status', status: 502 });
    health.recordFailure('b', 0, { kind: 'status', status: 429, retryAfterMs: 4_000 });
    health.recordFailure('b', 1, { kind: 'status', status: 429, retryAfterMs: 500 });
    health.recordFailure('b', 2, { kind: 'status', status: 401 });
    health.recordSuccess('b', 3);
    clock.time = 2_000;
    expect(health.snapshot()).toEqual({
      breakers: [
        { channelId: 'a', state: 'open', consecutiveFailures: 3, windowRequests: 3, windowFailures: 3, openedAt: 1_000 },
        { channelId: 'b', state: 'closed', consecutiveFailures: 0, windowRequests: 1, windowFailures: 0 },
      ],
      credentials: [
        // b:1 cooled down until 1 500 and is gone.
        { channelId: 'b', credentialIndex: 0, state: 'cooling_down', remainingMs: 3_000 },
        { channelId: 'b', credentialIndex: 2, state: 'disabled', status: 401, disabledAt: 1_000 },
      ],
    });
  });

  it('keeps channel ids containing a colon apart from credential indices', () => {
    const { health } = setup();
    health.recordFailure('a:1', 2, { kind: 'status', status: 401 });
    expect(health.peek('a:1', 2)).toBe(false);
    expect(health.peek('a', 1)).toBe(true);
    expect(health.snapshot().credentials).toEqual([
      { channelId: 'a:1', credentialIndex: 2, state: 'disabled', status: 401, disabledAt: 0 },
    ]);
  });

  it('uses the default breaker thresholds when none are given', () => {
    const health = createTargetHealth({ now: () => 0 });
    for (let i = 0; i < 4; i++) health.recordFailure('a', 0, { kind: 'timeout' });
    expect(health.isAvailable('a', 0)).toBe(true);
    health.recordFailure('a', 0, { kind: 'timeout' });
    expect(health.isAvailable('a', 0)).toBe(false);
  });
});

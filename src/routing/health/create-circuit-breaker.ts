import { createRequestWindow } from './create-request-window.js';

export type BreakerState = 'closed' | 'open' | 'half_open';

export interface BreakerStateChange {
  from: BreakerState;
  to: BreakerState;
  reason: string;
}

/** Thresholds of a breaker; every field has a default. */
export interface BreakerOptions {
  /** Consecutive failures that open the breaker. Default 5. */
  failureThreshold?: number;
  /** Failure share (0..1) in the window that opens the breaker, compared with `>=`. Default 0.5. */
  errorRateThreshold?: number;
  /** Requests the window must hold before the error rate counts. Default 20. */
  minimumRequests?: number;
  /** Length of the sliding window, kept in one-second buckets. Default 60 000. */
  windowMs?: number;
  /** Time the breaker stays open before a trial, and the longest a trial may stay unanswered. Default 30 000. */
  coolDownMs?: number;
}

export interface CircuitBreakerOptions extends BreakerOptions {
  now?: () => number;
  /** Called after every state change, once the breaker is consistent again. */
  onStateChange?: (change: BreakerStateChange) => void;
}

export interface BreakerSnapshot {
  state: BreakerState;
  consecutiveFailures: number;
  windowRequests: number;
  windowFailures: number;
  /** When the breaker last opened; present while it is open or half-open. */
  openedAt?: number;
}

export interface CircuitBreaker {
  state(): BreakerState;
  /**
   * Asks to send one request. Closed: true. Open: false until the cool-down
   * has elapsed; the first caller after that moves the breaker to half-open
   * and gets the single trial, everyone else gets false until the trial's
   * outcome is recorded (or the trial is presumed lost, after another
   * cool-down). A true answer in half-open means "you are the trial": record
   * its outcome, or `release()` it.
   */
  tryAcquire(): boolean;
  /** Would `tryAcquire()` answer true right now? Changes nothing; for ordering and filtering. */
  peek(): boolean;
  recordSuccess(): void;
  recordFailure(): void;
  /**
   * Ends an acquired request whose outcome says nothing about the upstream's
   * health (a rate limit, a rejected credential, a client error). In
   * half-open it frees the trial slot so the next caller can try at once
   * instead of waiting for the stuck-trial timeout.
   */
  release(): void;
  snapshot(): BreakerSnapshot;
}

/**
 * A circuit breaker for one upstream channel, with no timers: every
 * transition happens inside a call, against the injected clock, so tests
 * step time instead of sleeping and an idle breaker costs nothing.
 *
 * Closed → open on `failureThreshold` consecutive failures, or when a
 * failure brings the window to at least `minimumRequests` requests with a
 * failure share of at least `errorRateThreshold` (checked on failures only:
 * a success never makes the rate worse). Open → half-open lazily, in
 * `tryAcquire`, so that exactly one caller is handed the trial.
 * Half-open → closed on the trial's success (counters and window reset, the
 * upstream starts with a clean slate); half-open → open on its failure, for
 * another full cool-down.
 *
 * Results that arrive while open come from requests sent before the breaker
 * opened; they are ignored, since the cool-down is what decides when to look
 * again. A success recorded in half-open closes the breaker even if it is
 * not the trial's own — any answer from the upstream shows it is back.
 *
 * @see https://martinfowler.com/bliki/CircuitBreaker.html
 */
export function createCircuitBreaker(options: CircuitBreakerOptions = {}): CircuitBreaker {
  const failureThreshold = options.failureThreshold ?? 5;
  const errorRateThreshold = options.errorRateThreshold ?? 0.5;
  const minimumRequests = options.minimumRequests ?? 20;
  const windowMs = options.windowMs ?? 60_000;
  const coolDownMs = options.coolDownMs ?? 30_000;
  const now = options.now ?? Date.now;
  // Misconfigured thresholds would silently disable failover (or trip on
  // every request), so they fail loudly when the breaker is made.
  if (!(failureThreshold >= 1)) throw new RangeError(`failureThreshold must be at least 1, got ${failureThreshold}`);
  if (!(errorRateThreshold >= 0 && errorRateThreshold <= 1)) throw new RangeError(`errorRateThreshold must be within 0..1, got ${errorRateThreshold}`);
  if (!(minimumRequests >= 1)) throw new RangeError(`minimumRequests must be at least 1, got ${minimumRequests}`);
  if (!(windowMs > 0)) throw new RangeError(`windowMs must be positive, got ${windowMs}`);
  if (!(coolDownMs >= 0)) throw new RangeError(`coolDownMs must not be negative, got ${coolDownMs}`);

  const window = createRequestWindow({ windowMs });
  let state: BreakerState = 'closed';
  let consecutiveFailures = 0;
  let openedAt = 0;
  /** When the current half-open trial was handed out; undefined when no trial is in flight. */
  let trialStartedAt: number | undefined;

  function transition(to: BreakerState, reason: string): void {
    const from = state;
    state = to;
    options.onStateChange?.({ from, to, reason });
  }

  function open(at: number, reason: string): void {
    openedAt = at;
    trialStartedAt = undefined;
    transition('open', reason);
  }

  function trialAvailable(at: number): boolean {
    if (state === 'closed') return true;
    if (state === 'open') return at - openedAt >= coolDownMs;
    // A trial whose outcome is never recorded (a caller that crashed or
    // forgot) must not keep the channel out of rotation for good.
    return trialStartedAt === undefined || at - trialStartedAt >= coolDownMs;
  }

  return {
    state: () => state,

    tryAcquire() {
      if (state === 'closed') return true;
      const at = now();
      if (!trialAvailable(at)) return false;
      trialStartedAt = at;
      if (state === 'open') transition('half_open', `cool-down of ${coolDownMs} ms elapsed`);
      return true;
    },

    peek() {
      return trialAvailable(now());
    },

    recordSuccess() {
      if (state === 'open') return;
      if (state === 'half_open') {
        consecutiveFailures = 0;
        window.clear();
        trialStartedAt = undefined;
        transition('closed', 'trial request succeeded');
        return;
      }
      consecutiveFailures = 0;
      window.record({ failed: false, at: now() });
    },

    recordFailure() {
      if (state === 'open') return;
      const at = now();
      if (state === 'half_open') {
        open(at, 'trial request failed');
        return;
      }
      consecutiveFailures += 1;
      window.record({ failed: true, at });
      if (consecutiveFailures >= failureThreshold) {
        open(at, `${consecutiveFailures} consecutive failures`);
        return;
      }
      const { requests, failures } = window.totals(at);
      if (requests >= minimumRequests && failures / requests >= errorRateThreshold) {
        open(at, `${failures} of ${requests} requests failed within ${windowMs} ms`);
      }
    },

    release() {
      if (state === 'half_open') trialStartedAt = undefined;
    },

    snapshot() {
      const { requests, failures } = window.totals(now());
      return {
        state,
        consecutiveFailures,
        windowRequests: requests,
        windowFailures: failures,
        ...(state === 'closed' ? {} : { openedAt }),
      };
    },
  };
}

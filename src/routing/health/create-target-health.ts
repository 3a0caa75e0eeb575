import {
  createCircuitBreaker,
  type BreakerOptions,
  type BreakerSnapshot,
  type CircuitBreaker,
} from './create-circuit-breaker.js';

/** How a request to an upstream failed before its first byte reached the client. */
export interface UpstreamFailure {
  kind: 'connect' | 'timeout' | 'status';
  /** The upstream's HTTP status, for `kind: 'status'`. */
  status?: number;
  /** From the upstream's rate-limit headers (see `parseRetryAfter`). */
  retryAfterMs?: number;
}

export type HealthEvent =
  | { type: 'breaker_opened' | 'breaker_half_open' | 'breaker_closed'; channelId: string; reason: string }
  | { type: 'credential_disabled'; channelId: string; credentialIndex: number; status: number }
  | { type: 'credential_reenabled'; channelId: string; credentialIndex: number }
  | { type: 'credential_cooling_down'; channelId: string; credentialIndex: number; coolDownMs: number };

export type CredentialHealthSnapshot =
  | { channelId: string; credentialIndex: number; state: 'cooling_down'; remainingMs: number }
  | { channelId: string; credentialIndex: number; state: 'disabled'; status: number; disabledAt: number };

export interface TargetHealthSnapshot {
  /** Every channel that has a breaker, in the order they were first seen. */
  breakers: Array<{ channelId: string } & BreakerSnapshot>;
  /** Only credentials that are cooling down or disabled; the rest are healthy. */
  credentials: CredentialHealthSnapshot[];
}

export interface TargetHealth {
  /**
   * May a request go to this channel with this credential now? False while the
   * credential cools down after a 429 or is disabled after a 401/403, or when
   * the channel's breaker refuses.
   *
   * Call it for the target you are about to use, and only that one: it has
   * `tryAcquire` semantics, so on a half-open channel a true answer hands
   * this caller the channel's single trial request, and the outcome must then
   * be recorded with `recordSuccess`/`recordFailure`. To filter or order
   * candidates, use `peek`.
   */
  isAvailable(channelId: string, credentialIndex: number): boolean;
  /** What `isAvailable` would answer, without acquiring a half-open trial. */
  peek(channelId: string, credentialIndex: number): boolean;
  recordSuccess(channelId: string, credentialIndex: number): void;
  recordFailure(channelId: string, credentialIndex: number, failure: UpstreamFailure): void;
  /** Puts a credential disabled by a 401/403 back in rotation. Returns whether it was disabled. */
  reenableCredential(channelId: string, credentialIndex: number): boolean;
  snapshot(): TargetHealthSnapshot;
}

/** Used when a 429 carries no usable retry-after. */
const DEFAULT_RATE_LIMIT_COOL_DOWN_MS = 1_000;
/** A retry-after of hours (seen on exhausted daily quotas) should not bench a key until someone notices. */
const MAX_RATE_LIMIT_COOL_DOWN_MS = 10 * 60_000;

interface CredentialState {
  channelId: string;
  credentialIndex: number;
  coolingUntil?: number;
  disabled?: { status: number; at: number };
}

/**
 * Health of upstream targets for failover, in memory and per process: one
 * circuit breaker per channel (keyed by channel id) and a state per
 * credential (keyed `${channelId}:${credentialIndex}`), both created on first
 * use.
 *
 * How a failure is read:
 * - 429: that credential cools down for the upstream's retry-after (1 s when
 *   absent, at most 10 min). It is not a breaker failure: a rate limit is the
 *   upstream working as intended for one key, and counting it would trip the
 *   breaker for the channel's other, idle keys.
 * - 401: the credential is disabled until `reenableCredential` or a
 *   restart (a revoked key does not heal by waiting). Not a breaker failure.
 * - 403: the request fails over, but nothing is disabled: a 403 is as often
 *   about the request (a model the account may not use, a moderation refusal)
 *   as about the key, and disabling on it would let one client request take
 *   a credential out for everyone.
 * - 5xx (529 included), connect errors, timeouts, and a status failure with
 *   no status: breaker failures — the channel itself is in trouble.
 * - Other statuses (400, 404, 413…) are the request's fault, not the
 *   upstream's: neither.
 * Outcomes that are not breaker failures still `release()` the breaker, so
 * a half-open trial that ran into a 429 frees the slot for the next caller.
 */
export function createTargetHealth(
  options: { breaker?: BreakerOptions; now?: () => number; onEvent?: (event: HealthEvent) => void } = {},
): TargetHealth {
  const now = options.now ?? Date.now;
  const breakers = new Map<string, CircuitBreaker>();
  const credentials = new Map<string, CredentialState>();

  function breakerOf(channelId: string): CircuitBreaker {
    let breaker = breakers.get(channelId);
    if (breaker === undefined) {
      breaker = createCircuitBreaker({
        ...options.breaker,
        now,
        onStateChange: ({ to, reason }) => {
          const type = to === 'open' ? 'breaker_opened' : to === 'half_open' ? 'breaker_half_open' : 'breaker_closed';
          options.onEvent?.({ type, channelId, reason });
        },
      });
      breakers.set(channelId, breaker);
    }
    return breaker;
  }

  function credentialKey(channelId: string, credentialIndex: number): string {
    return `${channelId}:${credentialIndex}`;
  }

  function credentialOf(channelId: string, credentialIndex: number): CredentialState {
    const key = credentialKey(channelId, credentialIndex);
    let credential = credentials.get(key);
    if (credential === undefined) {
      credential = { channelId, credentialIndex };
      credentials.set(key, credential);
    }
    return credential;
  }

  /** Whether the credential may be used at `at`; forgets cool-downs that have run out so the map only holds live state. */
  function credentialUsable(channelId: string, credentialIndex: number, at: number): boolean {
    const key = credentialKey(channelId, credentialIndex);
    const credential = credentials.get(key);
    if (credential === undefined) return true;
    if (credential.disabled !== undefined) return false;
    if (credential.coolingUntil !== undefined && at < credential.coolingUntil) return false;
    credentials.delete(key);
    return true;
  }

  function coolDown(channelId: string, credentialIndex: number, retryAfterMs: number | undefined): void {
    const requested = retryAfterMs === undefined || !(retryAfterMs >= 0) ? DEFAULT_RATE_LIMIT_COOL_DOWN_MS : retryAfterMs;
    const coolDownMs = Math.min(requested, MAX_RATE_LIMIT_COOL_DOWN_MS);
    const credential = credentialOf(channelId, credentialIndex);
    // Concurrent requests on one key come back with different retry-afters;
    // a shorter one must not cut short what an earlier answer asked for.
    credential.coolingUntil = Math.max(credential.coolingUntil ?? 0, now() + coolDownMs);
    options.onEvent?.({ type: 'credential_cooling_down', channelId, credentialIndex, coolDownMs });
  }

  function disable(channelId: string, credentialIndex: number, status: number): void {
    const credential = credentialOf(channelId, credentialIndex);
    // Requests in flight on a revoked key all come back 401: one event, not a burst.
    if (credential.disabled !== undefined) return;
    credential.disabled = { status, at: now() };
    options.onEvent?.({ type: 'credential_disabled', channelId, credentialIndex, status });
  }

  return {
    isAvailable(channelId, credentialIndex) {
      // The credential first: a target we will not use must not take the channel's half-open trial.
      return credentialUsable(channelId, credentialIndex, now()) && breakerOf(channelId).tryAcquire();
    },

    peek(channelId, credentialIndex) {
      if (!credentialUsable(channelId, credentialIndex, now())) return false;
      return breakers.get(channelId)?.peek() ?? true;
    },

    recordSuccess(channelId) {
      // A success does not lift a cool-down or a disable: it may come from a
      // request sent before the 429/401 that set them.
      breakerOf(channelId).recordSuccess();
    },

    recordFailure(channelId, credentialIndex, failure) {
      const breaker = breakerOf(channelId);
      if (failure.kind !== 'status' || failure.status === undefined || failure.status >= 500) {
        breaker.recordFailure();
        return;
      }
      breaker.release();
      if (failure.status === 429) coolDown(channelId, credentialIndex, failure.retryAfterMs);
      else if (failure.status === 401) disable(channelId, credentialIndex, failure.status);
    },

    reenableCredential(channelId, credentialIndex) {
      const key = credentialKey(channelId, credentialIndex);
      const credential = credentials.get(key);
      if (credential?.disabled === undefined) return false;
      delete credential.disabled;
      if (credential.coolingUntil === undefined) credentials.delete(key);
      options.onEvent?.({ type: 'credential_reenabled', channelId, credentialIndex });
      return true;
    },

    snapshot() {
      const at = now();
      const credentialSnapshots: CredentialHealthSnapshot[] = [];
      for (const [key, credential] of credentials) {
        const { channelId, credentialIndex } = credential;
        if (credential.disabled !== undefined) {
          const { status, at: disabledAt } = credential.disabled;
          credentialSnapshots.push({ channelId, credentialIndex, state: 'disabled', status, disabledAt });
        } else if (credential.coolingUntil !== undefined && at < credential.coolingUntil) {
          credentialSnapshots.push({ channelId, credentialIndex, state: 'cooling_down', remainingMs: credential.coolingUntil - at });
        } else {
          credentials.delete(key);
        }
      }
      return {
        breakers: [...breakers].map(([channelId, breaker]) => ({ channelId, ...breaker.snapshot() })),
        credentials: credentialSnapshots,
      };
    },
  };
}

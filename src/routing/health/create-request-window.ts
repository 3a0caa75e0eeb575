/** Requests and failures counted over the recent past. */
export interface RequestWindow {
  record(options: { failed: boolean; at: number }): void;
  /** Totals of the buckets still inside the window at `at`. */
  totals(at: number): { requests: number; failures: number };
  clear(): void;
}

/**
 * A sliding window of request outcomes kept as a ring of fixed buckets
 * (one second by default), so memory stays constant however busy the upstream
 * is — an array of timestamps would grow with traffic exactly when the
 * gateway is under most pressure.
 *
 * The price is granularity: an event counts until its bucket falls out of
 * the ring, so with a window that is a whole number of buckets it counts for
 * more than `windowMs − bucketMs` and at most `windowMs`. An event in
 * bucket b (= floor(at / bucketMs)) is dropped once the clock reaches bucket
 * b + bucketCount. Running totals are kept so reading them costs O(1)
 * amortized instead of summing the ring on every request.
 */
export function createRequestWindow(options: { windowMs: number; bucketMs?: number }): RequestWindow {
  const bucketMs = Math.min(options.bucketMs ?? 1000, options.windowMs);
  if (!(bucketMs > 0)) throw new RangeError(`windowMs and bucketMs must be positive, got ${options.windowMs} and ${bucketMs}`);
  const bucketCount = Math.ceil(options.windowMs / bucketMs);
  const requests = new Array<number>(bucketCount).fill(0);
  const failures = new Array<number>(bucketCount).fill(0);
  let totalRequests = 0;
  let totalFailures = 0;
  /** Absolute index of the newest bucket in the ring; undefined until the first event. */
  let newest: number | undefined;

  function slotOf(bucket: number): number {
    return ((bucket % bucketCount) + bucketCount) % bucketCount;
  }

  /** Moves the ring forward to `at`, zeroing the buckets that left the window. */
  function advance(at: number): void {
    const bucket = Math.floor(at / bucketMs);
    if (newest === undefined) {
      newest = bucket;
      return;
    }
    // A clock that steps back (it should not: callers pass a monotonic clock)
    // lands in the newest bucket rather than corrupting older ones.
    if (bucket <= newest) return;
    const steps = Math.min(bucket - newest, bucketCount);
    for (let step = 1; step <= steps; step++) {
      const slot = slotOf(newest + step);
      totalRequests -= requests[slot]!;
      totalFailures -= failures[slot]!;
      requests[slot] = 0;
      failures[slot] = 0;
    }
    newest = bucket;
  }

  return {
    record({ failed, at }) {
      advance(at);
      const slot = slotOf(newest!);
      requests[slot]! += 1;
      totalRequests += 1;
      if (failed) {
        failures[slot]! += 1;
        totalFailures += 1;
      }
    },
    totals(at) {
      advance(at);
      return { requests: totalRequests, failures: totalFailures };
    },
    clear() {
      requests.fill(0);
      failures.fill(0);
      totalRequests = 0;
      totalFailures = 0;
      newest = undefined;
    },
  };
}

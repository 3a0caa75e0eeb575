import { describe, expect, it } from 'vitest';
import { createRequestWindow } from './create-request-window.js';

describe('createRequestWindow', () => {
  it('counts requests and failures inside the window', () => {
    const window = createRequestWindow({ windowMs: 3_000 });
    window.record({ failed: true, at: 0 });
    window.record({ failed: false, at: 1_200 });
    window.record({ failed: true, at: 2_900 });
    expect(window.totals(2_999)).toEqual({ requests: 3, failures: 2 });
  });

  it('drops an event when its one-second bucket leaves the ring, not later and not earlier', () => {
    // Three buckets. An event at 500 sits in bucket 0, which is reused at 3_000.
    const window = createRequestWindow({ windowMs: 3_000 });
    window.record({ failed: true, at: 500 });
    window.record({ failed: false, at: 1_000 });
    expect(window.totals(2_999)).toEqual({ requests: 2, failures: 1 });
    expect(window.totals(3_000)).toEqual({ requests: 1, failures: 0 });
    expect(window.totals(3_999)).toEqual({ requests: 1, failures: 0 });
    expect(window.totals(4_000)).toEqual({ requests: 0, failures: 0 });
  });

  it('reuses a slot for a new bucket without carrying the old counts over', () => {
    const window = createRequestWindow({ windowMs: 3_000 });
    window.record({ failed: true, at: 0 });
    window.record({ failed: false, at: 3_100 });
    expect(window.totals(3_100)).toEqual({ requests: 1, failures: 0 });
  });

  it('forgets everything after a gap longer than the window', () => {
    const window = createRequestWindow({ windowMs: 3_000 });
    for (let at = 0; at < 3_000; at += 100) window.record({ failed: true, at });
    expect(window.totals(2_999)).toEqual({ requests: 30, failures: 30 });
    expect(window.totals(1_000_000)).toEqual({ requests: 0, failures: 0 });
    window.record({ failed: false, at: 1_000_000 });
    expect(window.totals(1_000_000)).toEqual({ requests: 1, failures: 0 });
  });

  it('counts an event from a clock that stepped back into the newest bucket', () => {
    const window = createRequestWindow({ windowMs: 3_000 });
    window.record({ failed: false, at: 5_000 });
    window.record({ failed: true, at: 1_000 });
    expect(window.totals(5_000)).toEqual({ requests: 2, failures: 1 });
    expect(window.totals(8_000)).toEqual({ requests: 0, failures: 0 });
  });

  it('uses buckets no longer than the window itself', () => {
    const window = createRequestWindow({ windowMs: 500 });
    window.record({ failed: true, at: 0 });
    expect(window.totals(499)).toEqual({ requests: 1, failures: 1 });
    expect(window.totals(500)).toEqual({ requests: 0, failures: 0 });
  });

  it('clears', () => {
    const window = createRequestWindow({ windowMs: 3_000 });
    window.record({ failed: true, at: 0 });
    window.clear();
    expect(window.totals(0)).toEqual({ requests: 0, failures: 0 });
    window.record({ failed: true, at: 10 });
    expect(window.totals(10)).toEqual({ requests: 1, failures: 1 });
  });

  it('rejects a window that is not positive', () => {
    expect(() => createRequestWindow({ windowMs: 0 })).toThrow(RangeError);
    expect(() => createRequestWindow({ windowMs: Number.NaN })).toThrow(RangeError);
  });
});

import { describe, expect, it } from 'vitest';
import type { LedgerEntry } from '../storage/ledger-entry.js';
import type { Metrics } from './create-metrics.js';
import { createLazyMetrics } from './create-lazy-metrics.js';

/** A stand-in that records what it was given (the real metrics are tested in create-metrics and through /metrics). */
function recordingMetrics() {
  const observed: string[] = [];
  const metrics: Metrics = {
    observe: (entry) => observed.push(entry.id),
    render: async () => ({ contentType: 'text/plain', body: observed.join(',') }),
  };
  return { metrics, observed };
}

const row = (id: string) => ({ id }) as LedgerEntry;

describe('createLazyMetrics', () => {
  it('loads nothing until the first row or scrape', async () => {
    let loads = 0;
    createLazyMetrics(async () => {
      loads++;
      return recordingMetrics().metrics;
    });
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(loads).toBe(0);
  });

  it('counts the rows that came while loading, once and in order, then the later ones directly, with one load', async () => {
    const { metrics, observed } = recordingMetrics();
    let loads = 0;
    let release!: () => void;
    const lazy = createLazyMetrics(async () => {
      loads++;
      await new Promise<void>((resolve) => (release = resolve));
      return metrics;
    });
    lazy.observe(row('a'));
    lazy.observe(row('b'));
    await Promise.resolve();
    expect(observed).toEqual([]);
    release();
    expect((await lazy.render()).body).toBe('a,b');
    lazy.observe(row('c'));
    expect(observed).toEqual(['a', 'b', 'c']);
    expect(loads).toBe(1);
  });

  it('a scrape waits for the load; a failed load fails the scrape', async () => {
    const lazy = createLazyMetrics(async () => {
      throw new Error('prom-client missing');
    });
    lazy.observe(row('a'));
    await expect(lazy.render()).rejects.toThrow('prom-client missing');
  });
});

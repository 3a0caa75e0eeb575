import type { LedgerEntry } from '../storage/ledger-entry.js';
import type { Metrics } from './create-metrics.js';

/**
 * Metrics loaded when first needed: prom-client and its default collectors
 * take about 5 MiB of memory, which an idle gateway that has served nothing
 * and been scraped by nobody has no use for. The first ledger row or the
 * first scrape starts loading them, without waiting; rows that come before
 * they are ready are kept and counted once they are, so the counters still
 * agree with the ledger. A scrape waits for them.
 */
export function createLazyMetrics(load: () => Promise<Metrics>): Metrics {
  let loaded: Metrics | undefined;
  let loading: Promise<Metrics> | undefined;
  let early: LedgerEntry[] = [];
  const start = () =>
    (loading ??= load().then((metrics) => {
      for (const entry of early) metrics.observe(entry);
      early = [];
      loaded = metrics;
      return metrics;
    }));
  return {
    observe(entry) {
      if (loaded) {
        loaded.observe(entry);
        return;
      }
      early.push(entry);
      // A failure shows on the next scrape, which awaits the same promise.
      start().catch(() => undefined);
    },
    async render() {
      return (await start()).render();
    },
  };
}

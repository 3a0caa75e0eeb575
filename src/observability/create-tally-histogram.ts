import type { Registry } from 'prom-client';

/** One label set's histogram. */
export interface TallyHistogramChild {
  observe(value: number): void;
}

/**
 * A Prometheus histogram kept in plain arrays, one per label set, and
 * rendered by the registry when scraped. prom-client's own Histogram hashes
 * the label values and validates them on every `observe`, bound children
 * included, which per request costs more than the count itself. The
 * exposition is the same as prom-client's: cumulative `_bucket` series with
 * `le` (and `+Inf`), then `_sum` and `_count`, per label set.
 */
export function createTallyHistogram(configuration: { name: string; help: string; buckets: readonly number[]; registers: Registry[] }): {
  child(labels: Record<string, string>): TallyHistogramChild;
} {
  const bounds = [...configuration.buckets].sort((a, b) => a - b);
  const children: Array<{ labels: Record<string, string>; counts: number[]; sum: number; count: number }> = [];
  const metric = {
    name: configuration.name,
    help: configuration.help,
    type: 'histogram' as const,
    aggregator: 'sum' as const,
    async get() {
      const values: Array<{ labels: Record<string, string | number>; value: number; metricName: string }> = [];
      for (const { labels, counts, sum, count } of children) {
        let cumulative = 0;
        for (let index = 0; index < bounds.length; index++) {
          cumulative += counts[index]!;
          values.push({ labels: { le: bounds[index]!, ...labels }, value: cumulative, metricName: `${configuration.name}_bucket` });
        }
        values.push({ labels: { le: '+Inf', ...labels }, value: count, metricName: `${configuration.name}_bucket` });
        values.push({ labels, value: sum, metricName: `${configuration.name}_sum` });
        values.push({ labels, value: count, metricName: `${configuration.name}_count` });
      }
      return { name: metric.name, help: metric.help, type: metric.type, values, aggregator: metric.aggregator };
    },
    reset() {
      for (const child of children) {
        child.counts.fill(0);
        child.sum = 0;
        child.count = 0;
      }
    },
  };
  // The registry takes any object with a name, get() and reset() (what its own metrics register).
  for (const registry of configuration.registers) registry.registerMetric(metric as unknown as Parameters<Registry['registerMetric']>[0]);
  return {
    child(labels) {
      const child = { labels, counts: new Array<number>(bounds.length).fill(0), sum: 0, count: 0 };
      children.push(child);
      return {
        observe(value) {
          if (!Number.isFinite(value)) return;
          child.sum += value;
          child.count++;
          for (let index = 0; index < bounds.length; index++) {
            if (value <= bounds[index]!) {
              child.counts[index]!++;
              return;
            }
          }
        },
      };
    },
  };
}

import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { TargetHealth } from '../routing/health/create-target-health.js';
import type { LedgerEntry } from '../storage/ledger-entry.js';

export interface Metrics {
  /** Counts one finished request from its ledger row (the one record every request leaves). */
  observe(entry: LedgerEntry): void;
  /** The Prometheus text exposition. */
  render(): Promise<{ contentType: string; body: string }>;
}

const BREAKER_STATE = { closed: 0, half_open: 1, open: 2 } as const;

/**
 * Prometheus metrics: requests, tokens, cost and latencies (fed by the ledger
 * rows, so they agree with the ledger), the state of every channel's circuit
 * breaker and credentials (read from target health at scrape time), and the
 * process's own (CPU, memory, event loop). Labels are bounded: channel names,
 * dialects, endpoints, outcomes and status codes, never models or keys.
 */
export function createMetrics(options: { health: TargetHealth; channelName: (channelId: string) => string | undefined }): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'mixroute_' });
  const requests = new Counter({
    name: 'mixroute_requests_total',
    help: 'Finished client requests.',
    labelNames: ['dialect', 'endpoint', 'channel', 'outcome', 'status'],
    registers: [registry],
  });
  const tokens = new Counter({ name: 'mixroute_tokens_total', help: 'Tokens the upstreams reported.', labelNames: ['channel', 'type'], registers: [registry] });
  const cost = new Counter({ name: 'mixroute_cost_nano_usd_total', help: 'Priced cost, in nano-USD.', labelNames: ['channel'], registers: [registry] });
  const latency = new Histogram({
    name: 'mixroute_request_duration_seconds',
    help: 'Time from request to the end of the response.',
    labelNames: ['dialect', 'stream'],
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300],
    registers: [registry],
  });
  const firstByte = new Histogram({
    name: 'mixroute_time_to_first_byte_seconds',
    help: 'Time from request to the first byte sent to the client.',
    labelNames: ['dialect', 'stream'],
    buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [registry],
  });
  new Gauge({
    name: 'mixroute_upstream_breaker_state',
    help: 'Circuit breaker per channel: 0 closed, 1 half-open, 2 open.',
    labelNames: ['channel'],
    registers: [registry],
    collect() {
      this.reset();
      for (const breaker of options.health.snapshot().breakers) {
        this.set({ channel: options.channelName(breaker.channelId) ?? breaker.channelId }, BREAKER_STATE[breaker.state]);
      }
    },
  });
  new Gauge({
    name: 'mixroute_upstream_credentials_unavailable',
    help: 'Channel credentials cooling down (429) or disabled (401).',
    labelNames: ['channel', 'state'],
    registers: [registry],
    collect() {
      this.reset();
      for (const credential of options.health.snapshot().credentials) {
        this.inc({ channel: options.channelName(credential.channelId) ?? credential.channelId, state: credential.state });
      }
    },
  });

  // prom-client hashes label values on every call; a request only needs a map lookup on a joined key.
  const children = new Map<string, { inc(value?: number): void; observe(value: number): void }>();
  const child = (key: string, make: () => { inc(value?: number): void; observe(value: number): void }) => {
    let found = children.get(key);
    if (found === undefined) {
      found = make();
      children.set(key, found);
    }
    return found;
  };
  const counterChild = (counter: Counter, key: string, labels: Record<string, string>) =>
    child(key, () => {
      const bound = counter.labels(labels);
      return { inc: (value?: number) => bound.inc(value), observe: () => undefined };
    });
  const histogramChild = (histogram: Histogram, key: string, labels: Record<string, string>) =>
    child(key, () => {
      const bound = histogram.labels(labels);
      return { inc: () => undefined, observe: (value: number) => bound.observe(value) };
    });

  return {
    observe(entry) {
      const channel = entry.channelName ?? 'none';
      const status = String(entry.status);
      counterChild(requests, `r\0${entry.dialect}\0${entry.endpoint}\0${channel}\0${entry.outcome}\0${status}`, {
        dialect: entry.dialect,
        endpoint: entry.endpoint,
        channel,
        outcome: entry.outcome,
        status,
      }).inc();
      const add = (type: string, value: number) => value > 0 && counterChild(tokens, `t\0${channel}\0${type}`, { channel, type }).inc(value);
      add('input', entry.inputTokens);
      add('output', entry.outputTokens);
      add('cache_write_5m', entry.cacheWrite5mTokens);
      add('cache_write_1h', entry.cacheWrite1hTokens);
      add('cache_read', entry.cacheReadTokens);
      if (entry.costNanoUsd > 0) counterChild(cost, `c\0${channel}`, { channel }).inc(entry.costNanoUsd);
      const labelKey = `${entry.dialect}\0${entry.stream}`;
      const labels = { dialect: entry.dialect, stream: String(entry.stream) };
      histogramChild(latency, `l\0${labelKey}`, labels).observe(entry.latencyMs / 1000);
      if (entry.ttfbMs !== null) histogramChild(firstByte, `f\0${labelKey}`, labels).observe(entry.ttfbMs / 1000);
    },
    async render() {
      return { contentType: registry.contentType, body: await registry.metrics() };
    },
  };
}

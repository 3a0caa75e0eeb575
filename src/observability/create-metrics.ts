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

  return {
    observe(entry) {
      const channel = entry.channelName ?? 'none';
      requests.inc({ dialect: entry.dialect, endpoint: entry.endpoint, channel, outcome: entry.outcome, status: String(entry.status) });
      const add = (type: string, value: number) => value > 0 && tokens.inc({ channel, type }, value);
      add('input', entry.inputTokens);
      add('output', entry.outputTokens);
      add('cache_write_5m', entry.cacheWrite5mTokens);
      add('cache_write_1h', entry.cacheWrite1hTokens);
      add('cache_read', entry.cacheReadTokens);
      if (entry.costNanoUsd > 0) cost.inc({ channel }, entry.costNanoUsd);
      const labels = { dialect: entry.dialect, stream: String(entry.stream) };
      latency.observe(labels, entry.latencyMs / 1000);
      if (entry.ttfbMs !== null) firstByte.observe(labels, entry.ttfbMs / 1000);
    },
    async render() {
      return { contentType: registry.contentType, body: await registry.metrics() };
    },
  };
}

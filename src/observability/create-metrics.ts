import { Counter, Gauge, Registry, collectDefaultMetrics } from 'prom-client';
import { createTallyHistogram, type TallyHistogramChild } from './create-tally-histogram.js';
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
export function createMetrics(options: {
  health: TargetHealth;
  channelName: (channelId: string) => string | undefined;
  /** This process's balance leases (read at scrape time), when it has them. */
  balanceLeases?: () => ReadonlyArray<{ freeNanoUsd: number; holds: number }>;
}): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'mixroute_' });
  const requests = tallyCounter({
    name: 'mixroute_requests_total',
    help: 'Finished client requests.',
    labelNames: ['dialect', 'endpoint', 'channel', 'outcome', 'status'],
    registers: [registry],
  });
  const tokens = tallyCounter({ name: 'mixroute_tokens_total', help: 'Tokens the upstreams reported.', labelNames: ['channel', 'type'], registers: [registry] });
  const cost = tallyCounter({ name: 'mixroute_cost_nano_usd_total', help: 'Priced cost, in nano-USD.', labelNames: ['channel'], registers: [registry] });
  const latency = createTallyHistogram({
    name: 'mixroute_request_duration_seconds',
    help: 'Time from request to the end of the response.',
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300],
    registers: [registry],
  });
  const firstByte = createTallyHistogram({
    name: 'mixroute_time_to_first_byte_seconds',
    help: 'Time from request to the first byte sent to the client.',
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

  if (options.balanceLeases) {
    const leases = options.balanceLeases;
    new Gauge({
      name: 'mixroute_balance_leases',
      help: "Users' balance shares this process holds and reserves requests from in memory.",
      registers: [registry],
      collect() {
        this.set(leases().length);
      },
    });
    new Gauge({
      name: 'mixroute_balance_leased_free_nano_usd',
      help: "The part of this process's balance leases no request in flight holds: given back when idle.",
      registers: [registry],
      collect() {
        this.set(leases().reduce((sum, lease) => sum + Math.max(0, lease.freeNanoUsd), 0));
      },
    });
  }

  // prom-client hashes label values on every call, bound children included; a request only needs map lookups on few, short keys
  // (the histograms too: see createTallyHistogram).
  const requestChildren = new Map<string, Tally>();
  const requestCounter = (dialect: string, endpoint: string, channel: string, outcome: string, status: number) => {
    const key = `${dialect}\0${endpoint}\0${channel}\0${outcome}\0${status}`;
    let found = requestChildren.get(key);
    if (found === undefined) {
      found = requests.tally({ dialect, endpoint, channel, outcome, status: String(status) });
      requestChildren.set(key, found);
    }
    return found;
  };
  /** Everything counted per channel, bound once per channel. */
  interface ChannelChildren {
    input: Tally;
    output: Tally;
    cacheWrite5m: Tally;
    cacheWrite1h: Tally;
    cacheRead: Tally;
    cost: Tally;
  }
  const channelChildren = new Map<string, ChannelChildren>();
  const perChannel = (channel: string) => {
    let found = channelChildren.get(channel);
    if (found === undefined) {
      found = {
        input: tokens.tally({ channel, type: 'input' }),
        output: tokens.tally({ channel, type: 'output' }),
        cacheWrite5m: tokens.tally({ channel, type: 'cache_write_5m' }),
        cacheWrite1h: tokens.tally({ channel, type: 'cache_write_1h' }),
        cacheRead: tokens.tally({ channel, type: 'cache_read' }),
        cost: cost.tally({ channel }),
      };
      channelChildren.set(channel, found);
    }
    return found;
  };
  /** The two histograms per dialect and stream flag. */
  const timingChildren = new Map<string, { latency: TallyHistogramChild; firstByte: TallyHistogramChild }>();
  const timings = (dialect: string, stream: boolean) => {
    const key = stream ? `${dialect}\0true` : dialect;
    let found = timingChildren.get(key);
    if (found === undefined) {
      const labels = { dialect, stream: String(stream) };
      found = { latency: latency.child(labels), firstByte: firstByte.child(labels) };
      timingChildren.set(key, found);
    }
    return found;
  };

  return {
    observe(entry) {
      const channel = entry.channelName ?? 'none';
      requestCounter(entry.dialect, entry.endpoint, channel, entry.outcome, entry.status).inc();
      const counted = perChannel(channel);
      if (entry.inputTokens > 0) counted.input.inc(entry.inputTokens);
      if (entry.outputTokens > 0) counted.output.inc(entry.outputTokens);
      if (entry.cacheWrite5mTokens > 0) counted.cacheWrite5m.inc(entry.cacheWrite5mTokens);
      if (entry.cacheWrite1hTokens > 0) counted.cacheWrite1h.inc(entry.cacheWrite1hTokens);
      if (entry.cacheReadTokens > 0) counted.cacheRead.inc(entry.cacheReadTokens);
      if (entry.costNanoUsd > 0) counted.cost.inc(entry.costNanoUsd);
      const timed = timings(entry.dialect, entry.stream);
      timed.latency.observe(entry.latencyMs / 1000);
      if (entry.ttfbMs !== null) timed.firstByte.observe(entry.ttfbMs / 1000);
    },
    async render() {
      return { contentType: registry.contentType, body: await registry.metrics() };
    },
  };
}

/** One label set's running total. */
interface Tally {
  inc(value?: number): void;
}

/**
 * A counter whose totals are kept in plain numbers, one per label set, and
 * handed to prom-client when scraped: prom-client hashes the label values on
 * every `inc`, which per request costs more than the count itself.
 */
function tallyCounter(configuration: { name: string; help: string; labelNames: string[]; registers: Registry[] }): { tally(labels: Record<string, string>): Tally } {
  const tallies: Array<{ labels: Record<string, string>; value: number }> = [];
  new Counter({
    ...configuration,
    collect() {
      this.reset();
      for (const { labels, value } of tallies) this.inc(labels, value);
    },
  });
  return {
    tally(labels) {
      const entry = { labels, value: 0 };
      tallies.push(entry);
      return {
        inc(value = 1) {
          entry.value += value;
        },
      };
    },
  };
}

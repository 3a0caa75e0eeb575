import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { createLedgerJournal } from './metering/create-ledger-journal.js';
import { ledgerJournalPath, listLedgerJournals } from './metering/ledger-journal-files.js';
import { recoverLedgerJournals } from './bootstrap/recover-ledger-journals.js';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import { createApiKeyAuthenticator } from './auth/create-api-key-authenticator.js';
import { applyConfig, type AppliedConfig } from './bootstrap/apply-config.js';
import { createLogger } from './bootstrap/create-logger.js';
import { openStorage } from './bootstrap/open-storage.js';
import type { StorageHandles } from './bootstrap/storage-handles.js';
import type { Config } from './config/config.js';
import { createGatewayServer } from './http/create-gateway-server.js';
import { createLedgerWriter } from './metering/create-ledger-writer.js';
import { createRoutableChannel } from './routing/create-routable-channel.js';
import { createRouter, type Router } from './routing/create-router.js';
import { createSessionAffinity } from './routing/create-session-affinity.js';
import { createTargetHealth, type TargetHealth } from './routing/health/create-target-health.js';
import type { RoutableChannel } from './routing/routable-channel.js';
import type { LedgerEntry } from './storage/ledger-entry.js';
import { createUpstreamPools } from './upstream/create-upstream-pools.js';
import { convertPriceConfig } from './bootstrap/convert-price-config.js';
import { createPricer } from './metering/pricing/create-pricer.js';
import { createMemoryRateLimiter } from './limits/create-memory-rate-limiter.js';
import type { Metrics } from './observability/create-metrics.js';
import { createLazyMetrics } from './observability/create-lazy-metrics.js';
import { DEFAULT_PRICES } from './metering/pricing/default-prices.js';
import { validatePriceTable } from './metering/pricing/validate-price-table.js';
import type { ModelPrice } from './metering/pricing/model-price.js';
import type { Pricer } from './metering/pricing/create-pricer.js';
import { PRICES_REVISION } from './storage/repositories/create-price-repository.js';
import { resolveSpendingLimits } from './bootstrap/resolve-spending-limits.js';

/** How often a gateway on SQLite moves its write-ahead log into the database file, from a worker thread. */
const SQLITE_CHECKPOINT_INTERVAL_MS = 200;

export interface RunningGateway {
  /** http://host:port the server listens on (127.0.0.1 when bound to every interface). */
  url: string;
  port: number;
  storage: StorageHandles;
  applied: AppliedConfig;
  logger: Logger;
  /** Writes queued ledger rows now (tests, shutdown). */
  flushLedger(): Promise<void>;
  /** Breakers and credential states of the upstream targets. */
  health: TargetHealth;
  /** Re-reads channels and keys from storage at once instead of at the next poll. */
  reload(): Promise<void>;
  close(): Promise<void>;
}

/** Ledger rows per write transaction (see createLedgerWriter's maxBatch). */
const SQLITE_LEDGER_BATCH = 64;
const POSTGRES_LEDGER_BATCH = 500;
/** How often balance leases are renewed, checked for idleness and expired ones reclaimed (their time to live is 30 s). */
const BALANCE_LEASE_MAINTENANCE_MS = 2_500;

/**
 * The composition root: configuration → storage → routing, auth and metering
 * → HTTP server. Channels and keys live in storage; the server polls one
 * revision counter per collection (channels, keys, prices) and reloads when the CLI, the admin API or another
 * instance changed them.
 */
export async function startGateway(options: {
  config: Config;
  environment?: Record<string, string | undefined>;
  logger?: Logger;
  /** Set in a cluster worker (see run-cluster.ts): the configuration is already applied, and the journal is this worker's. */
  worker?: { index: number };
}): Promise<RunningGateway> {
  const { config } = options;
  const logger = options.logger ?? createLogger(config.server);
  mkdirSync(config.server.data_dir, { recursive: true });
  const storage = await openStorage(config.server, {
    backgroundCheckpointMs: SQLITE_CHECKPOINT_INTERVAL_MS,
    onCheckpointError: (message) => logger.warn({ error: message }, 'SQLite background checkpoint failed; the next one will retry'),
  });
  // A cluster's primary applied the configuration once before forking its workers.
  const applied = options.worker ? { createdKeys: [], bootstrappedAnthropicChannel: false } : await applyConfig({ config, storage, environment: options.environment ?? process.env });

  let router: Router = createRouter({ channels: [] });
  async function loadChannels() {
    const routable: RoutableChannel[] = [];
    for (const channel of await storage.channels.list()) {
      const prepared = createRoutableChannel(channel);
      if (prepared) routable.push(prepared);
      else logger.warn({ channel: channel.name, type: channel.type }, 'channel type not supported by this build; skipped');
    }
    router = createRouter({ channels: routable });
  }
  await loadChannels();

  const authenticator = createApiKeyAuthenticator({
    findByHash: async (hash) => {
      const key = await storage.apiKeys.findByHash(hash);
      if (!key) return undefined;
      const user = await storage.users.findById(key.userId);
      const group = user?.groupName ? await storage.userGroups.find(user.groupName) : undefined;
      return { ...key, spending: resolveSpendingLimits(key.policy, user), priceMultiplier: group?.priceMultiplier };
    },
  });
  let metrics: Metrics | undefined;
  const journalPath = ledgerJournalPath(config.server.data_dir, options.worker?.index);
  // Rows of a previous run that may not have reached the database (it crashed): a worker replays its own
  // journal (its siblings are running); a single process or a cluster's primary replays every one.
  await recoverLedgerJournals({ files: options.worker ? [journalPath] : listLedgerJournals(config.server.data_dir), storage, logger });
  // Then the balance leases a killed process left on this machine go back to their balances at once.
  await storage.balanceLeases?.maintain().catch((error: unknown) => logger.error({ err: error }, 'reclaiming balance leases failed'));
  const journal = createLedgerJournal<LedgerEntry>({ path: journalPath });
  const ledger = createLedgerWriter<LedgerEntry>({
    journal,
    onWrite: (entry) => {
      metrics?.observe(entry);
      if (entry.settles) storage.spending.settled(entry.settles, entry.costNanoUsd);
    },
    insertMany: async (entries) => {
      await storage.ledger.insertMany(entries);
    },
    flushIntervalMs: config.server.ledger_flush_interval_ms,
    // SQLite writes synchronously: a batch blocks the event loop while it is stored (about 10 µs a
    // row), so batches stay small and requests run between them. PostgreSQL's are awaited.
    maxBatch: storage.database.sqlite ? SQLITE_LEDGER_BATCH : POSTGRES_LEDGER_BATCH,
    onError: (error, entries) => logger.error({ err: error, entries }, 'ledger write failed; will retry'),
    onRejected: (error, entry) => {
      logger.error({ err: error, entry }, 'ledger row refused by the database; dropped');
      // Its reservation must not stay held: settle it on its own.
      if (entry.settles) {
        storage.spending.settle(entry.settles, Number.isSafeInteger(entry.costNanoUsd) && entry.costNanoUsd >= 0 ? entry.costNanoUsd : 0).catch((settleError: unknown) => logger.error({ err: settleError, reservation: entry.settles }, 'settling the reservation of a dropped ledger row failed'));
      }
    },
  });
  const pools = createUpstreamPools();
  const configuredPrices = config.prices.map(convertPriceConfig);
  validatePriceTable({ table: [...configuredPrices, ...DEFAULT_PRICES] });
  const warnedUnpriced = new Set<string>();
  let pricer: Pricer = createPricer({ table: [] });
  /** Prices set at run time (admin API) come first, then the configuration's, then Anthropic's published defaults. */
  async function loadPrices() {
    const stored: ModelPrice[] = [];
    for (const { price } of await storage.prices.list()) {
      try {
        validatePriceTable({ table: [price] });
        stored.push(price);
      } catch (error) {
        logger.error({ err: error, pattern: price.pattern }, 'stored price is invalid; skipped');
      }
    }
    pricer = createPricer({
      table: [...stored, ...configuredPrices, ...DEFAULT_PRICES],
      onUnpriced: (model) => {
        if (warnedUnpriced.has(model)) return;
        warnedUnpriced.add(model);
        logger.warn({ model }, 'no price for this model: its requests are recorded at cost 0 (add it under prices:)');
      },
    });
  }
  await loadPrices();
  const { routing } = config;
  const health = createTargetHealth({
    breaker: {
      failureThreshold: routing.breaker.failure_threshold,
      errorRateThreshold: routing.breaker.error_rate_threshold,
      minimumRequests: routing.breaker.minimum_requests,
      windowMs: routing.breaker.window_ms,
      coolDownMs: routing.breaker.cool_down_ms,
    },
    // Breaker changes and credentials taken out are operational news: they go to the log at warn.
    onEvent: (event) => logger.warn({ health: event, channel: router.channels.find((channel) => channel.id === event.channelId)?.name }, `upstream health: ${event.type}`),
  });
  const affinity = createSessionAffinity({ ttlMs: routing.session_ttl_ms });
  // Loaded only when configured: a single instance never pays for ioredis' memory.
  const rateLimiter = config.server.redis_url
    ? (await import('./limits/create-redis-rate-limiter.js')).createRedisRateLimiter({ url: config.server.redis_url, keyPrefix: 'mixroute:ratelimit:', onError: (error) => logger.error({ err: error }, 'redis') })
    : createMemoryRateLimiter();
  if (config.server.metrics.enabled) {
    metrics = createLazyMetrics(async () => {
      const { createMetrics } = await import('./observability/create-metrics.js');
      const leases = storage.balanceLeases;
      return createMetrics({
        health,
        channelName: (channelId) => router.channels.find((channel) => channel.id === channelId)?.name,
        ...(leases ? { balanceLeases: () => leases.held() } : {}),
      });
    });
  }

  const seen = { channels: await storage.revisions.get('channels'), apiKeys: await storage.revisions.get('api_keys'), prices: await storage.revisions.get(PRICES_REVISION) };
  async function reload(force = false) {
    const channels = await storage.revisions.get('channels');
    const apiKeys = await storage.revisions.get('api_keys');
    const prices = await storage.revisions.get(PRICES_REVISION);
    if (force || prices !== seen.prices) {
      await loadPrices();
      // Only once loaded: a failed reload is retried at the next poll.
      seen.prices = prices;
      logger.info('prices reloaded');
    }
    if (force || channels !== seen.channels) {
      await loadChannels();
      seen.channels = channels;
      logger.info({ channels: router.channels.length }, 'channels reloaded');
    }
    if (force || apiKeys !== seen.apiKeys) {
      seen.apiKeys = apiKeys;
      authenticator.invalidate();
    }
  }
  let polling = false;
  const poller = setInterval(() => {
    if (polling) return;
    polling = true;
    reload()
      .catch((error: unknown) => logger.error({ err: error }, 'reloading channels and keys failed'))
      .finally(() => (polling = false));
  }, config.server.reload_interval_ms);
  poller.unref();
  // Balance leases: renewed while this process runs, given back when idle; expired ones (a process that died) reclaimed.
  let maintaining = false;
  const leaseKeeper = setInterval(() => {
    if (maintaining || !storage.balanceLeases) return;
    maintaining = true;
    storage.balanceLeases
      .maintain()
      .catch((error: unknown) => logger.error({ err: error }, 'maintaining balance leases failed'))
      .finally(() => (maintaining = false));
  }, BALANCE_LEASE_MAINTENANCE_MS);
  leaseKeeper.unref();

  const server = createGatewayServer({
    authenticator,
    router: () => router,
    pools,
    ledger,
    logger,
    maxBodyBytes: config.server.max_body_bytes,
    health,
    pricer: () => pricer,
    rateLimiter,
    spending: storage.spending,
    allowUnpriced: config.billing.allow_unpriced,
    metrics,
    metricsToken: config.server.metrics.token,
    affinity,
    maxAttempts: routing.max_attempts,
    pingIntervalMs: routing.ping_interval_ms,
    sessionHeader: routing.session_header,
    // ── admin API (src/admin/, served at /admin/v1/*) ──
    admin: { storage, configPrices: config.prices.map(convertPriceConfig) },
    // ── end admin API ──
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.server.port, config.server.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const host = config.server.host === '0.0.0.0' || config.server.host === '::' ? '127.0.0.1' : config.server.host;

  // Requests in flight, so a shutdown can wait for them (streams included) before cutting anything.
  let inFlight = 0;
  let drained: (() => void) | undefined;
  let shuttingDown = false;
  server.on('request', (_request, response) => {
    // Once shutting down, every answer closes its connection, so keep-alive clients reconnect elsewhere.
    if (shuttingDown) response.setHeader('connection', 'close');
    inFlight++;
    response.once('close', () => {
      inFlight--;
      if (inFlight === 0) drained?.();
    });
  });

  let closing: Promise<void> | undefined;
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
    port,
    storage,
    applied,
    logger,
    flushLedger: () => ledger.flush(),
    reload: () => reload(true),
    health,
    close() {
      closing ??= (async () => {
        clearInterval(poller);
        clearInterval(leaseKeeper);
        shuttingDown = true;
        // Stop accepting; idle keep-alive connections go now, busy ones once their response is done.
        const closed = new Promise<void>((resolve) => server.close(() => resolve()));
        server.closeIdleConnections();
        if (inFlight > 0) {
          logger.info({ inFlight }, 'waiting for in-flight requests to finish');
          const finished = new Promise<void>((resolve) => (drained = resolve));
          const deadline = new Promise<'deadline'>((resolve) => setTimeout(() => resolve('deadline'), config.server.shutdown_grace_ms).unref());
          if ((await Promise.race([finished, deadline])) === 'deadline') {
            logger.warn({ inFlight }, 'shutdown grace period over; cutting the remaining requests');
          }
        }
        server.closeAllConnections();
        await closed;
        await ledger.close().catch((error: unknown) => logger.error({ err: error }, 'ledger rows lost at shutdown'));
        // After the ledger: every row settled against a lease is stored, so what a lease holds now is free.
        await storage.balanceLeases?.releaseAll().catch((error: unknown) => logger.error({ err: error }, 'giving balance leases back failed; they return when they expire'));
        await pools.close();
        await rateLimiter.close();
        journal.close();
        await storage.database.close();
      })();
      return closing;
    },
  };
}

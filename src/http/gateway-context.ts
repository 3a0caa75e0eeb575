import type { Logger } from 'pino';
import type { AdminContext } from '../admin/admin-context.js';
import type { ApiKeyAuthenticator } from '../auth/create-api-key-authenticator.js';
import type { LedgerWriter } from '../metering/create-ledger-writer.js';
import type { Pricer } from '../metering/pricing/create-pricer.js';
import type { RateLimiter } from '../limits/rate-limiter.js';
import type { Metrics } from '../observability/create-metrics.js';
import type { Router } from '../routing/create-router.js';
import type { SessionAffinity } from '../routing/create-session-affinity.js';
import type { TargetHealth } from '../routing/health/create-target-health.js';
import type { LedgerEntry } from '../storage/ledger-entry.js';
import type { SpendingRepository } from '../storage/repositories/create-spending-repository.js';
import type { UpstreamPools } from '../upstream/create-upstream-pools.js';

/** What the HTTP layer needs from the rest of the gateway, built once by the composition root. */
export interface GatewayContext {
  authenticator: ApiKeyAuthenticator;
  /** The current routing table; replaced when channels change. */
  router(): Router;
  pools: UpstreamPools;
  ledger: LedgerWriter<LedgerEntry>;
  logger: Logger;
  maxBodyBytes: number;
  health: TargetHealth;
  /** The current price table; replaced when prices change. */
  pricer(): Pricer;
  rateLimiter: RateLimiter;
  /** Reserve before dispatch, settle to the real cost: balances, key quotas, period limits. */
  spending: SpendingRepository;
  allowUnpriced: boolean;
  /** Prometheus metrics; undefined when disabled. */
  metrics: Metrics | undefined;
  metricsToken: string | undefined;
  affinity: SessionAffinity;
  maxAttempts: number;
  pingIntervalMs: number;
  /** An operator-chosen header that names the session, if any. */
  sessionHeader: string | undefined;
  /** The admin API (`/admin/v1/*`); without it those paths are 404. */
  admin?: AdminContext | undefined;
}

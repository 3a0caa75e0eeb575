import type { Usage } from '../metering/usage.js';

/** What ledger rows are summed by: API key id, user id, model, or UTC day. */
export type UsageGroupBy = 'key' | 'user' | 'model' | 'day';

/**
 * The ledger rows of one group, summed. `group` is the key id, the user id,
 * the model (the upstream model that answered, else the one the client asked
 * for), or the UTC day as `YYYY-MM-DD`; null for rows without one (a request
 * refused before its key was known has no key and no user).
 */
export interface UsageSummary extends Usage {
  group: string | null;
  requests: number;
  costNanoUsd: number;
}

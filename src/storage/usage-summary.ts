/** What ledger rows are summed by: API key id, user id, model, or UTC day. */
export type UsageGroupBy = 'key' | 'user' | 'model' | 'day';

/**
 * The ledger rows of one group, summed. `group` is the key id, the user id,
 * the model (the upstream model that answered, else the one the client asked
 * for), or the UTC day as `YYYY-MM-DD`; null for rows without one (a request
 * refused before its key was known has no key and no user).
 */
export interface UsageSummary {
  group: string | null;
  requests: number;
  inputTokens: number;
  outputTokens: number;
  cacheWrite5mTokens: number;
  cacheWrite1hTokens: number;
  cacheReadTokens: number;
  webSearchRequests: number;
  webFetchRequests: number;
  costNanoUsd: number;
}

import type { AuthenticatedKey } from '../auth/authenticated-key.js';
import type { Usage } from '../metering/usage.js';
import type { LedgerEntry } from '../storage/ledger-entry.js';
import type { SpendingReservation } from '../storage/repositories/create-spending-repository.js';

/** One ledger row from what the HTTP layer knows when a request ends, however it ended. */
export function buildLedgerEntry(options: {
  requestId: string;
  receivedAt: number;
  startedAt: number;
  key: AuthenticatedKey | undefined;
  dialect: LedgerEntry['dialect'];
  endpoint: string;
  clientModel: string | undefined;
  stream: boolean;
  sessionId: string | undefined;
  channel?: { id: string; name: string } | undefined;
  upstreamModel?: string | undefined;
  status: number;
  outcome: LedgerEntry['outcome'];
  errorType: string | null;
  usage?: Usage | undefined;
  ttfbMs?: number | null;
  /** The priced cost; 0 for requests that used nothing (or a model without a price). */
  costNanoUsd?: number;
  /** The spending reservation the row settles, if the request held one. */
  settles?: SpendingReservation | undefined;
}): LedgerEntry {
  // Built field by field, always with the same keys in the same order: one object shape for every row
  // (a spread of the usage and an optional `settles` key made several, and cost a copy each).
  const usage = options.usage;
  return {
    id: options.requestId,
    createdAt: options.receivedAt,
    apiKeyId: options.key?.id ?? null,
    userId: options.key?.userId ?? null,
    channelId: options.channel?.id ?? null,
    channelName: options.channel?.name ?? null,
    clientModel: options.clientModel ?? null,
    upstreamModel: options.upstreamModel ?? null,
    dialect: options.dialect,
    endpoint: options.endpoint,
    stream: options.stream,
    status: options.status,
    outcome: options.outcome,
    errorType: options.errorType,
    latencyMs: Math.round(performance.now() - options.startedAt),
    ttfbMs: options.ttfbMs ?? null,
    inputTokens: usage ? usage.inputTokens : 0,
    outputTokens: usage ? usage.outputTokens : 0,
    cacheWrite5mTokens: usage ? usage.cacheWrite5mTokens : 0,
    cacheWrite1hTokens: usage ? usage.cacheWrite1hTokens : 0,
    cacheReadTokens: usage ? usage.cacheReadTokens : 0,
    webSearchRequests: usage ? usage.webSearchRequests : 0,
    webFetchRequests: usage ? usage.webFetchRequests : 0,
    costNanoUsd: options.costNanoUsd ?? 0,
    sessionId: options.sessionId ?? null,
    settles: options.settles,
  };
}

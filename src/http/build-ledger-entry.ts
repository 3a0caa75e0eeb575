import type { AuthenticatedKey } from '../auth/authenticated-key.js';
import { createEmptyUsage, type Usage } from '../metering/usage.js';
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
    ...(options.usage ?? createEmptyUsage()),
    costNanoUsd: options.costNanoUsd ?? 0,
    sessionId: options.sessionId ?? null,
    ...(options.settles ? { settles: options.settles } : {}),
  };
}

import type { SpendingReservation } from './repositories/create-spending-repository.js';

/**
 * One row of the request ledger: what happened to one client request. Usage
 * fields have the same names as `Usage` in `metering/usage.ts`, so a usage
 * object can be spread into an entry.
 */
export interface LedgerEntry {
  /** The request id; inserting the same id twice is a no-op. */
  id: string;
  /** Milliseconds since the epoch, when the request arrived. */
  createdAt: number;
  apiKeyId: string | null;
  userId: string | null;
  channelId: string | null;
  /** Denormalised so the entry stays readable after the channel is renamed or removed. */
  channelName: string | null;
  clientModel: string | null;
  upstreamModel: string | null;
  /** Which client-facing API the request used. */
  dialect: 'anthropic' | 'openai';
  /** e.g. `messages`, `count_tokens`. */
  endpoint: string;
  stream: boolean;
  /** HTTP status sent to the client. */
  status: number;
  /**
   * `interrupted`: the gateway process died while the request was in flight
   * (a row recovered from its journal at the next start).
   */
  outcome: 'ok' | 'upstream_error' | 'client_aborted' | 'gateway_error' | 'stream_error' | 'interrupted';
  errorType: string | null;
  latencyMs: number;
  /** Time to first byte sent to the client, when anything was sent. */
  ttfbMs: number | null;
  inputTokens: number;
  outputTokens: number;
  cacheWrite5mTokens: number;
  cacheWrite1hTokens: number;
  cacheReadTokens: number;
  webSearchRequests: number;
  webFetchRequests: number;
  /** Cost in billionths of a US dollar; a safe integer (up to ~$9M per entry). */
  costNanoUsd: number;
  sessionId: string | null;
  /**
   * The spending reservation this row settles (not a column): storing the row
   * replaces the reservation by `costNanoUsd` in the same transaction, exactly
   * once — a row already stored is skipped, and so is its settlement.
   */
  settles?: SpendingReservation | undefined;
}

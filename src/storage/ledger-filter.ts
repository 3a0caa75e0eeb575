import type { LedgerEntry } from './ledger-entry.js';

/** Which ledger rows a listing or a usage summary covers; every field narrows, absent fields do not. */
export interface LedgerFilter {
  /** Rows created at or after this instant (epoch milliseconds). */
  from?: number;
  /** Rows created before this instant (epoch milliseconds, exclusive). */
  to?: number;
  apiKeyId?: string;
  userId?: string;
  /** Matches the model the client asked for or the upstream model that answered. */
  model?: string;
  /** The HTTP status sent to the client. */
  status?: number;
  outcome?: LedgerEntry['outcome'];
}

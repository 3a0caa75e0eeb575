import type { LedgerEntry } from './ledger-entry.js';

/** Where a newest-first ledger listing stopped: the last row returned, by its sort key. */
export interface LedgerCursor {
  createdAt: number;
  id: string;
}

/** One page of a newest-first ledger listing; `next` is undefined on the last page. */
export interface LedgerPage {
  entries: LedgerEntry[];
  next: LedgerCursor | undefined;
}

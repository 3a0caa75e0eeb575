import type { Logger } from 'pino';
import { createLedgerJournal } from '../metering/create-ledger-journal.js';
import { removeLedgerJournal } from '../metering/ledger-journal-files.js';
import type { LedgerEntry } from '../storage/ledger-entry.js';
import type { StorageHandles } from './storage-handles.js';

/**
 * Replays ledger journals left by processes that stopped (cleanly or not)
 * into the database, then deletes them. Rows already stored are skipped (the
 * ledger is keyed by request id), and so are their settlements, so replaying
 * a journal twice is harmless. A request that was still in flight when its
 * process died is stored as `interrupted`, and its spending reservation is
 * released: the upstream's charge for it, if any, is unknown.
 * Only call it for journals no running process appends to.
 */
export async function recoverLedgerJournals(options: { files: readonly string[]; storage: Pick<StorageHandles, 'ledger'>; logger: Logger }): Promise<void> {
  for (const file of options.files) {
    const journal = createLedgerJournal<LedgerEntry>({ path: file });
    try {
      // A request's provisional row (held while it ran) is followed by its final row when it ended: the last one wins.
      const rows = [...new Map(journal.recover().map((row) => [row.id, row] as const)).values()];
      if (rows.length > 0) {
        await options.storage.ledger.insertMany(rows);
        options.logger.info({ rows: rows.length, journal: file }, 'ledger rows recovered from the journal');
      }
    } finally {
      journal.close();
    }
    removeLedgerJournal(file);
  }
}

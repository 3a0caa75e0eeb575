import { readdirSync, rmSync } from 'node:fs';
import path from 'node:path';

/**
 * Where a gateway process keeps its ledger journal in `dataDir`: one file per
 * process, because each appends while it runs. A single process uses
 * `ledger.journal`; cluster worker N uses `ledger.worker-N.journal`, so a
 * restarted worker finds the rows its crashed predecessor left.
 */
export function ledgerJournalPath(dataDir: string, workerIndex?: number): string {
  return path.join(dataDir, workerIndex === undefined ? 'ledger.journal' : `ledger.worker-${workerIndex}.journal`);
}

const JOURNAL_FILE = /^ledger(\.worker-\d+)?\.journal$/;

/** Every ledger journal in `dataDir`, the single-process one and every worker's. */
export function listLedgerJournals(dataDir: string): string[] {
  let names: string[];
  try {
    names = readdirSync(dataDir);
  } catch {
    return [];
  }
  return names.filter((name) => JOURNAL_FILE.test(name)).sort().map((name) => path.join(dataDir, name));
}

/** Deletes a journal whose rows are all in the database. */
export function removeLedgerJournal(file: string): void {
  rmSync(file, { force: true });
}

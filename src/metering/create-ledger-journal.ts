import { closeSync, existsSync, ftruncateSync, mkdirSync, openSync, readFileSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';

export interface LedgerJournal<Entry> {
  /** Appends a row before the response that it records is finished. */
  append(entry: Entry): void;
  /**
   * Appends held rows (of requests in flight) in one write. Each row's line is made once and
   * kept for the truncations that keep the row, until `forget`.
   */
  appendAll(entries: readonly Entry[]): void;
  /** The held row is done with (replaced by its final row): its kept line goes. */
  forget(entry: Entry): void;
  /**
   * Forgets every row appended so far (call only when all of them are in the
   * database), except `keep`: rows still pending elsewhere (a request in
   * flight holding a reservation), appended again at once.
   */
  clear(keep?: Iterable<Entry>): void;
  /** Rows a previous process appended and may not have written to the database. */
  recover(): Entry[];
  close(): void;
}

/**
 * A local append-only file of ledger rows, written synchronously before a
 * response ends, so that a crash (kill -9 included) cannot lose the row of a
 * request whose response completed: rows reach the database in batches off
 * the response path, and the journal covers the time in between. The write
 * goes to the kernel (no fsync per request): it survives the process dying,
 * not the machine losing power. On start the journal is replayed; inserting a
 * row twice is a no-op (rows are keyed by request id).
 */
export function createLedgerJournal<Entry>(options: { path: string }): LedgerJournal<Entry> {
  mkdirSync(dirname(options.path), { recursive: true });
  const fd = openSync(options.path, 'a+', 0o600);
  // Lines of held rows, serialized once however often a truncation keeps them, until forget(). A Map with
  // explicit forgetting, not a WeakMap: under load, lines kept in a WeakMap outlived their requests through
  // young-generation collections and were promoted (the largest site in a heap profile of promoted objects);
  // with this Map the mean scavenge pause at 16 connections was 1.7-2.9 ms against 2.4-3.0 ms (bench/HISTORY.md,
  // ninth round).
  const lines = new Map<Entry, string>();
  const lineOf = (entry: Entry) => {
    let line = lines.get(entry);
    if (line === undefined) {
      line = `${JSON.stringify(entry)}\n`;
      lines.set(entry, line);
    }
    return line;
  };
  const appendAll = (entries: Iterable<Entry>) => {
    let text = '';
    for (const entry of entries) text += lineOf(entry);
    if (text) writeSync(fd, text);
  };
  return {
    append(entry) {
      writeSync(fd, `${JSON.stringify(entry)}\n`);
    },
    appendAll,
    forget(entry) {
      lines.delete(entry);
    },
    clear(keep) {
      ftruncateSync(fd, 0);
      if (keep) appendAll(keep);
    },
    recover() {
      if (!existsSync(options.path)) return [];
      const entries: Entry[] = [];
      for (const line of readFileSync(options.path, 'utf8').split('\n')) {
        if (!line) continue;
        try {
          entries.push(JSON.parse(line) as Entry);
        } catch {
          // A line cut by the crash itself: its response had not completed.
        }
      }
      return entries;
    },
    close() {
      closeSync(fd);
    },
  };
}

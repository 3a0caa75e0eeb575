import { closeSync, existsSync, ftruncateSync, mkdirSync, openSync, readFileSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';

export interface LedgerJournal<Entry> {
  /** Appends a row before the response that it records is finished. */
  append(entry: Entry): void;
  /** Appends held rows (of requests in flight) in one write. */
  appendAll(entries: readonly Entry[]): void;
  /** The held row is done with (replaced by its final row): its kept line, if any, goes. */
  forget(entry: Entry): void;
  /**
   * Forgets every row appended so far (call only when all of them are in the
   * database), except `keep`: rows still pending elsewhere (a request in
   * flight holding a reservation), appended again at once. A kept row's line
   * is made once and kept for the later truncations that keep it, until `forget`.
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
  // Lines of held rows that a truncation kept (requests in flight longer than a flush interval: streams),
  // serialized once however often later truncations keep them, until forget(). A held row's first line is
  // not kept: most requests end before any truncation, and a line kept for a request's whole life was, under
  // load, among the objects young-generation collections found alive and promoted (bench/HISTORY.md, ninth
  // round). A Map with explicit forgetting, not a WeakMap, whose values the collections kept alive longer still.
  const lines = new Map<Entry, string>();
  const serialize = (entry: Entry) => `${JSON.stringify(entry)}\n`;
  const keptLineOf = (entry: Entry) => {
    let line = lines.get(entry);
    if (line === undefined) {
      line = serialize(entry);
      lines.set(entry, line);
    }
    return line;
  };
  /** The line kept for a row, if any; else a new one, not kept. */
  const lineOf = (entry: Entry) => lines.get(entry) ?? serialize(entry);
  /** The rows' lines in one write. */
  const appendLines = (entries: Iterable<Entry>, line: (entry: Entry) => string) => {
    let text = '';
    for (const entry of entries) text += line(entry);
    if (text) writeSync(fd, text);
  };
  return {
    append(entry) {
      writeSync(fd, serialize(entry));
    },
    appendAll(entries) {
      appendLines(entries, lineOf);
    },
    forget(entry) {
      lines.delete(entry);
    },
    clear(keep) {
      ftruncateSync(fd, 0);
      if (keep) appendLines(keep, keptLineOf);
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

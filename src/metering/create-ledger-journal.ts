import { closeSync, existsSync, ftruncateSync, mkdirSync, openSync, readFileSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';

export interface LedgerJournal<Entry> {
  /** Appends a row before the response that it records is finished. */
  append(entry: Entry): void;
  /** Appends several rows in one write. */
  appendAll(entries: readonly Entry[]): void;
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
  // Lines of held rows are serialized once, however often they are kept; final rows, appended once,
  // are not remembered (a WeakMap entry per request costs more than it saves).
  const lines = new WeakMap<object, string>();
  const lineOf = (entry: Entry) => {
    if (typeof entry !== 'object' || entry === null) return `${JSON.stringify(entry)}\n`;
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

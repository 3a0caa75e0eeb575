import type { LedgerJournal } from './create-ledger-journal.js';

export interface LedgerWriter<Entry> {
  /**
   * Announces a row to come (a request has started). close() waits for the
   * announced rows, so a request cut at shutdown, which records its row only
   * after its connection is gone, is not lost.
   */
  expect(): void;
  /**
   * Journals a provisional row for a request in flight (one holding a spending
   * reservation): if the process dies before the request ends, recovery finds
   * it and the reservation is released instead of held forever. Not queued
   * for the database; `write` with the same `heldId` replaces it. The rows
   * held during one turn of the event loop are journaled together when its
   * synchronous work is done (a group commit of reservations resolves many
   * requests at once), always before any of their final rows.
   */
  hold(heldId: string, entry: Entry): void;
  /** Queues a row (replacing the provisional row held under `heldId`, if any); never blocks the response path. */
  write(entry: Entry, heldId?: string): void;
  /** Writes everything queued so far. */
  flush(): Promise<void>;
  /** Stops the timer and writes what is queued; rejects, naming the rows left unwritten, if that fails. */
  close(): Promise<void>;
  readonly pending: number;
}

/**
 * Writes ledger rows in batches off the response path: a response never waits
 * for storage, and one transaction per batch keeps SQLite and PostgreSQL fast
 * under load. A batch that fails to write is kept and retried with the next
 * flush, so a database hiccup delays rows instead of losing them.
 */
export function createLedgerWriter<Entry>(options: {
  insertMany: (entries: Entry[]) => Promise<void>;
  flushIntervalMs: number;
  maxBatch?: number;
  onError?: (error: unknown, entries: number) => void;
  /** Keeps every row on local disk until it is in the database (see createLedgerJournal). */
  journal?: Pick<LedgerJournal<Entry>, 'append' | 'appendAll' | 'forget' | 'clear'>;
  /** Sees every row as it is queued (metrics). */
  onWrite?: (entry: Entry) => void;
  /** A row the database refused while others of its batch went in: reported, then dropped. */
  onRejected?: (error: unknown, entry: Entry) => void;
  /** How long close() waits for announced rows before flushing what it has. */
  settleTimeoutMs?: number;
}): LedgerWriter<Entry> {
  const maxBatch = options.maxBatch ?? 500;
  let queue: Entry[] = [];
  let timer: NodeJS.Timeout | undefined;
  let writing: Promise<void> = Promise.resolve();
  let closed = false;
  let outstanding = 0;
  let settled: (() => void) | undefined;
  /** Provisional rows of requests in flight: they outlive every truncation of the journal until replaced. */
  const held = new Map<string, Entry>();
  /** Held rows not journaled yet: written in one append at the end of the current tick. */
  let unjournaled: Entry[] = [];
  const journalHeld = () => {
    if (unjournaled.length === 0) return;
    const entries = unjournaled;
    unjournaled = [];
    options.journal?.appendAll(entries);
  };

  function schedule() {
    if (timer || closed) return;
    timer = setTimeout(() => {
      timer = undefined;
      void flush();
    }, options.flushIntervalMs);
    timer.unref();
  }

  /** Truncates the journal, keeping the held rows (the clear rewrites them, those not journaled yet included). */
  function clearJournal() {
    unjournaled = [];
    options.journal?.clear(held.values());
  }

  /** A flush is chained but has not started: it will take every row queued until it starts. */
  let flushWaiting = false;

  function flush(): Promise<void> {
    if (flushWaiting) return writing;
    flushWaiting = true;
    writing = writing.then(async () => {
      flushWaiting = false;
      while (queue.length > 0) {
        const batch = queue.slice(0, maxBatch);
        try {
          await options.insertMany(batch);
          queue = queue.slice(batch.length);
          // Same tick as the check: no row can be appended between "all written" and the truncation.
          if (queue.length === 0) clearJournal();
          // Let the requests waiting behind this batch run before the next one: a synchronous
          // store (SQLite) then blocks the event loop for one batch at a time, not for the queue.
          else await yieldToEventLoop();
        } catch (error) {
          // One unstorable row (a count out of range: a data error, not an outage) must not hold back
          // every row after it: write the batch row by row; rows that still fail are reported and
          // dropped. Any other error (the database is down) keeps the batch for the next flush.
          if (batch.length > 1 && isDataError(error)) {
            const failed: Array<{ entry: Entry; error: unknown }> = [];
            for (const entry of batch) {
              try {
                await options.insertMany([entry]);
              } catch (rowError) {
                failed.push({ entry, error: rowError });
              }
            }
            if (failed.length < batch.length) {
              queue = queue.slice(batch.length);
              if (queue.length === 0) clearJournal();
              for (const { entry, error: rowError } of failed) options.onRejected?.(rowError, entry);
              continue;
            }
          }
          try {
            options.onError?.(error, batch.length);
          } catch {
            // A failing error callback must not stop later flushes.
          }
          if (!closed) schedule();
          return;
        }
      }
    });
    return writing;
  }

  return {
    expect() {
      outstanding++;
    },
    hold(heldId, entry) {
      const replaced = held.get(heldId);
      if (replaced !== undefined) options.journal?.forget(replaced);
      held.set(heldId, entry);
      if (options.journal && unjournaled.push(entry) === 1) queueMicrotask(journalHeld);
    },
    write(entry, heldId) {
      // A final row must come after its provisional one in the journal: recovery keeps the last.
      journalHeld();
      const heldEntry = heldId === undefined ? undefined : held.get(heldId);
      if (heldEntry !== undefined) {
        held.delete(heldId!);
        options.journal?.forget(heldEntry);
      }
      options.journal?.append(entry);
      options.onWrite?.(entry);
      if (outstanding > 0) outstanding--;
      if (outstanding === 0) settled?.();
      queue.push(entry);
      if (queue.length >= maxBatch) void flush();
      else schedule();
    },
    flush,
    async close() {
      if (outstanding > 0) {
        const waited = new Promise<void>((resolve) => (settled = resolve));
        const timeout = new Promise<void>((resolve) => setTimeout(resolve, options.settleTimeoutMs ?? 5_000).unref());
        await Promise.race([waited, timeout]);
      }
      closed = true;
      if (timer) clearTimeout(timer);
      timer = undefined;
      await flush();
      if (queue.length > 0) throw new Error(`ledger: ${queue.length} rows could not be written at shutdown`);
    },
    get pending() {
      return queue.length;
    },
  };
}

const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Errors about a row's values (ours: RangeError; PostgreSQL: SQLSTATE class 22), as opposed to outages. */
function isDataError(error: unknown): boolean {
  if (error instanceof RangeError) return true;
  const code = (error as { code?: unknown })?.code;
  return typeof code === 'string' && code.startsWith('22');
}

import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createLedgerWriter } from './create-ledger-writer.js';

/** Records every batch insertMany received; a batch is kept only when the insert succeeded. */
function recordingStore(options: { failures?: number[] } = {}) {
  const attempts: number[][] = [];
  const written: number[][] = [];
  let call = 0;
  const insertMany = vi.fn(async (entries: number[]) => {
    call++;
    attempts.push([...entries]);
    if (options.failures?.includes(call)) throw new Error(`insert ${call} failed`);
    written.push([...entries]);
  });
  return { insertMany, attempts, written, rows: () => written.flat() };
}

function range(from: number, to: number): number[] {
  return Array.from({ length: to - from + 1 }, (_, index) => from + index);
}

/** Real turns of the event loop: the writer lets other work run (setImmediate, not faked) between batches. */
async function turns(count = 10): Promise<void> {
  for (let index = 0; index < count; index++) {
    await vi.advanceTimersByTimeAsync(0);
    await new Promise((resolve) => setImmediate(resolve));
  }
}

beforeEach(() => {
  // Timers are faked (the flush interval); setImmediate is not: the writer yields with it between batches.
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] });
});

afterEach(() => {
  vi.useRealTimers();
});

describe('createLedgerWriter', () => {
  it('writes queued rows in one batch flushIntervalMs after the first write, not after the last', async () => {
    const store = recordingStore();
    const writer = createLedgerWriter<number>({ insertMany: store.insertMany, flushIntervalMs: 200 });
    writer.write(1);
    await vi.advanceTimersByTimeAsync(150);
    writer.write(2);
    expect(writer.pending).toBe(2);
    await vi.advanceTimersByTimeAsync(49);
    expect(store.insertMany).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(1);
    expect(store.written).toEqual([[1, 2]]);
    expect(writer.pending).toBe(0);
    // Nothing queued: no further writes, and no timer left running.
    await vi.advanceTimersByTimeAsync(1000);
    expect(store.insertMany).toHaveBeenCalledTimes(1);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('writes at once when maxBatch rows are queued, in batches of at most maxBatch, in order', async () => {
    const store = recordingStore();
    const writer = createLedgerWriter<number>({ insertMany: store.insertMany, flushIntervalMs: 60_000, maxBatch: 3 });
    writer.write(1);
    writer.write(2);
    await vi.advanceTimersByTimeAsync(0);
    expect(store.insertMany).not.toHaveBeenCalled();
    for (const row of range(3, 7)) writer.write(row);
    await turns();
    expect(store.written).toEqual([[1, 2, 3], [4, 5, 6], [7]]);
    expect(writer.pending).toBe(0);
  });

  it('lets the event loop run between batches, and a flush asked for meanwhile takes every row at once', async () => {
    const events: string[] = [];
    const insertMany = vi.fn(async (entries: number[]) => {
      events.push(`batch ${entries.join(',')}`);
    });
    const writer = createLedgerWriter<number>({ insertMany, flushIntervalMs: 60_000, maxBatch: 2 });
    for (const row of range(1, 5)) writer.write(row);
    // Other work queued while the first batches are written: it runs between them, not after all.
    setImmediate(() => events.push('other work'));
    const flushed = [writer.flush(), writer.flush(), writer.flush()];
    await Promise.all(flushed);
    expect(events).toEqual(['batch 1,2', 'other work', 'batch 3,4', 'batch 5']);
    expect(insertMany).toHaveBeenCalledTimes(3);
  });

  it('uses batches of 500 by default', async () => {
    const store = recordingStore();
    const writer = createLedgerWriter<number>({ insertMany: store.insertMany, flushIntervalMs: 60_000 });
    for (const row of range(1, 499)) writer.write(row);
    await vi.advanceTimersByTimeAsync(0);
    expect(store.insertMany).not.toHaveBeenCalled();
    writer.write(500);
    writer.write(501);
    await writer.flush();
    expect(store.written.map((batch) => batch.length)).toEqual([500, 1]);
    expect(store.rows()).toEqual(range(1, 501));
  });

  it('flush() writes everything queued and resolves once it is stored', async () => {
    const store = recordingStore();
    const writer = createLedgerWriter<number>({ insertMany: store.insertMany, flushIntervalMs: 60_000, maxBatch: 2 });
    for (const row of range(1, 5)) writer.write(row);
    await writer.flush();
    expect(store.rows()).toEqual([1, 2, 3, 4, 5]);
    expect(writer.pending).toBe(0);
  });

  it('flush() with nothing queued does not call insertMany', async () => {
    const store = recordingStore();
    const writer = createLedgerWriter<number>({ insertMany: store.insertMany, flushIntervalMs: 200 });
    await writer.flush();
    expect(store.insertMany).not.toHaveBeenCalled();
  });

  it('close() writes everything and stops the timer', async () => {
    const store = recordingStore();
    const writer = createLedgerWriter<number>({ insertMany: store.insertMany, flushIntervalMs: 200 });
    writer.write(1);
    writer.write(2);
    await writer.close();
    expect(store.written).toEqual([[1, 2]]);
    expect(vi.getTimerCount()).toBe(0);
    await vi.advanceTimersByTimeAsync(1000);
    expect(store.insertMany).toHaveBeenCalledTimes(1);
  });

  it('writes rows that arrive during a slow insert afterwards, exactly once', async () => {
    let release!: () => void;
    const batches: number[][] = [];
    const insertMany = vi.fn(async (entries: number[]) => {
      batches.push([...entries]);
      if (batches.length === 1) await new Promise<void>((resolve) => (release = resolve));
    });
    const writer = createLedgerWriter<number>({ insertMany, flushIntervalMs: 200, maxBatch: 10 });
    writer.write(1);
    writer.write(2);
    const first = writer.flush();
    await vi.advanceTimersByTimeAsync(0);
    writer.write(3);
    const second = writer.flush(); // queued behind the first, not run beside it
    await vi.advanceTimersByTimeAsync(0);
    expect(batches).toEqual([[1, 2]]);
    release();
    await Promise.all([first, second]);
    expect(batches).toEqual([[1, 2], [3]]);
    expect(writer.pending).toBe(0);
  });

  describe('failing storage', () => {
    it('keeps a failed batch, reports it, and writes it on the next flush without loss or duplicates', async () => {
      const store = recordingStore({ failures: [1] });
      const onError = vi.fn();
      const writer = createLedgerWriter<number>({ insertMany: store.insertMany, flushIntervalMs: 200, onError });
      writer.write(1);
      writer.write(2);
      await writer.flush();
      expect(onError).toHaveBeenCalledWith(expect.objectContaining({ message: 'insert 1 failed' }), 2);
      expect(writer.pending).toBe(2);
      writer.write(3);
      await writer.flush();
      expect(store.attempts).toEqual([[1, 2], [1, 2, 3]]);
      expect(store.rows()).toEqual([1, 2, 3]);
      expect(writer.pending).toBe(0);
    });

    it('retries on its own one interval after a failure', async () => {
      const store = recordingStore({ failures: [1] });
      const writer = createLedgerWriter<number>({ insertMany: store.insertMany, flushIntervalMs: 200 });
      writer.write(1);
      await vi.advanceTimersByTimeAsync(200);
      expect(store.attempts).toEqual([[1]]);
      expect(store.written).toEqual([]);
      await vi.advanceTimersByTimeAsync(199);
      expect(store.insertMany).toHaveBeenCalledTimes(1);
      await vi.advanceTimersByTimeAsync(1);
      expect(store.written).toEqual([[1]]);
    });

    it('keeps the batches written before a failure written and retries from the failed one, order kept', async () => {
      // Batches of 2. Writing row 2 asks for a flush; writing row 4 and flush() find it waiting and
      // leave their rows to it. It writes [1,2], fails on [3,4] (3, 4, 5 stay queued) and leaves the
      // retry to the timer, which writes [3,4] again, then [5].
      const store = recordingStore({ failures: [2] });
      const onError = vi.fn();
      const writer = createLedgerWriter<number>({ insertMany: store.insertMany, flushIntervalMs: 200, maxBatch: 2, onError });
      for (const row of range(1, 5)) writer.write(row);
      await writer.flush();
      expect(onError).toHaveBeenCalledTimes(1);
      expect(store.attempts).toEqual([[1, 2], [3, 4]]);
      expect(writer.pending).toBe(3);
      await vi.advanceTimersByTimeAsync(200);
      await turns();
      expect(store.attempts).toEqual([[1, 2], [3, 4], [3, 4], [5]]);
      expect(store.rows()).toEqual([1, 2, 3, 4, 5]);
      expect(writer.pending).toBe(0);
    });

    it('survives several failures in a row and then writes everything once', async () => {
      const store = recordingStore({ failures: [1, 2, 3] });
      const writer = createLedgerWriter<number>({ insertMany: store.insertMany, flushIntervalMs: 100 });
      writer.write(1);
      await vi.advanceTimersByTimeAsync(100); // fails
      writer.write(2);
      await vi.advanceTimersByTimeAsync(100); // fails
      await vi.advanceTimersByTimeAsync(100); // fails
      writer.write(3);
      await vi.advanceTimersByTimeAsync(100); // succeeds
      expect(store.rows()).toEqual([1, 2, 3]);
      expect(store.insertMany).toHaveBeenCalledTimes(4);
      expect(vi.getTimerCount()).toBe(0);
    });

    // BUG (minor): when the final flush in close() fails, `closed` is still false at that
    // moment, so the writer re-arms its retry timer; close() then resolves as if all was
    // written. At shutdown the caller goes on to close the database, and the timer later
    // calls insertMany against it (or the rows are silently dropped when the process exits).
    // Proposed fix: set `closed = true` before the final flush, and make close() report
    // what it could not write (reject, or resolve with the number of rows left) so the
    // shutdown path can log it.
    it('close() leaves no retry timer behind when the final write fails', async () => {
      const store = recordingStore({ failures: [1] });
      const writer = createLedgerWriter<number>({ insertMany: store.insertMany, flushIntervalMs: 200 });
      writer.write(1);
      await expect(writer.close()).rejects.toThrow('ledger: 1 rows could not be written at shutdown');
      expect(vi.getTimerCount()).toBe(0);
    });
  });
});

describe('createLedgerWriter with a row the database refuses', () => {
  it('writes the good rows of the batch, reports the bad one, and goes on', async () => {
    vi.useRealTimers();
    const written: number[] = [];
    const rejected: number[] = [];
    const writer = createLedgerWriter<number>({
      insertMany: async (entries) => {
        if (entries.includes(13)) throw new RangeError('cost 13 is not a safe integer');
        written.push(...entries);
      },
      flushIntervalMs: 10,
      onRejected: (_error, entry) => rejected.push(entry),
    });
    for (let entry = 10; entry < 17; entry++) writer.write(entry);
    await writer.flush();
    writer.write(17);
    await writer.close();
    expect(written).toEqual([10, 11, 12, 14, 15, 16, 17]);
    expect(rejected).toEqual([13]);
  });
});

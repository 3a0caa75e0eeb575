import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createLedgerJournal } from './create-ledger-journal.js';
import { createLedgerWriter } from './create-ledger-writer.js';

const directories: string[] = [];
afterEach(() => {
  for (const directory of directories.splice(0)) rmSync(directory, { recursive: true, force: true });
});

function journalPath() {
  const directory = mkdtempSync(join(tmpdir(), 'mixroute-journal-'));
  directories.push(directory);
  return join(directory, 'data', 'ledger.journal');
}

describe('createLedgerJournal', () => {
  it('keeps appended rows across a reopen (a crash) until cleared', () => {
    const path = journalPath();
    const journal = createLedgerJournal<{ id: string }>({ path });
    journal.append({ id: 'a' });
    journal.append({ id: 'b' });
    journal.close();
    const reopened = createLedgerJournal<{ id: string }>({ path });
    expect(reopened.recover()).toEqual([{ id: 'a' }, { id: 'b' }]);
    reopened.clear();
    expect(reopened.recover()).toEqual([]);
    reopened.close();
  });

  it('skips a last line cut by the crash', () => {
    const path = journalPath();
    createLedgerJournal({ path }).close();
    writeFileSync(path, '{"id":"a"}\n{"id":"b"');
    expect(createLedgerJournal<{ id: string }>({ path }).recover()).toEqual([{ id: 'a' }]);
  });

  it('is cleared by the writer only once every row is in the database', async () => {
    const path = journalPath();
    const journal = createLedgerJournal<{ id: string }>({ path });
    let fail = true;
    const writer = createLedgerWriter<{ id: string }>({
      journal,
      flushIntervalMs: 1_000_000,
      insertMany: async () => {
        if (fail) throw new Error('database down');
      },
    });
    writer.write({ id: 'a' });
    await writer.flush();
    expect(readFileSync(path, 'utf8')).toBe('{"id":"a"}\n');
    fail = false;
    await writer.flush();
    expect(readFileSync(path, 'utf8')).toBe('');
    await writer.close();
    journal.close();
  });

  it("keeps a request's provisional row through every truncation until its final row replaces it", async () => {
    const path = journalPath();
    const journal = createLedgerJournal<{ id: string; outcome: string }>({ path });
    const stored: string[] = [];
    const writer = createLedgerWriter<{ id: string; outcome: string }>({
      journal,
      flushIntervalMs: 1_000_000,
      insertMany: async (entries) => {
        stored.push(...entries.map((entry) => `${entry.id}:${entry.outcome}`));
      },
    });
    writer.hold('in-flight', { id: 'in-flight', outcome: 'interrupted' });
    writer.write({ id: 'done', outcome: 'ok' });
    await writer.flush();
    // The finished row is stored and gone from the journal; the provisional one is not stored, and stays.
    expect(stored).toEqual(['done:ok']);
    expect(journal.recover()).toEqual([{ id: 'in-flight', outcome: 'interrupted' }]);
    writer.write({ id: 'in-flight', outcome: 'ok' }, 'in-flight');
    expect(journal.recover()).toEqual([
      { id: 'in-flight', outcome: 'interrupted' },
      { id: 'in-flight', outcome: 'ok' },
    ]);
    await writer.flush();
    expect(stored).toEqual(['done:ok', 'in-flight:ok']);
    expect(readFileSync(path, 'utf8')).toBe('');
    await writer.close();
    journal.close();
  });

  it("journals the rows held during one tick in one write at its end, and always before a final row that replaces one", async () => {
    const path = journalPath();
    const journal = createLedgerJournal<{ id: string; outcome: string }>({ path });
    const appendAll = vi.spyOn(journal, 'appendAll');
    const writes = () => appendAll.mock.calls.map(([entries]) => entries.length);
    const writer = createLedgerWriter<{ id: string; outcome: string }>({ journal, flushIntervalMs: 1_000_000, insertMany: async () => {} });
    writer.hold('a', { id: 'a', outcome: 'interrupted' });
    writer.hold('b', { id: 'b', outcome: 'interrupted' });
    writer.hold('c', { id: 'c', outcome: 'interrupted' });
    expect(readFileSync(path, 'utf8')).toBe('');
    await Promise.resolve();
    expect(writes()).toEqual([3]);
    expect(journal.recover().map((entry) => entry.id)).toEqual(['a', 'b', 'c']);
    // A request that ends in the tick it was held in: its provisional row goes first, so recovery keeps the final one.
    writer.hold('d', { id: 'd', outcome: 'interrupted' });
    writer.write({ id: 'd', outcome: 'ok' }, 'd');
    expect(journal.recover().slice(-2)).toEqual([
      { id: 'd', outcome: 'interrupted' },
      { id: 'd', outcome: 'ok' },
    ]);
    await writer.close();
    journal.close();
  });

  it("makes a held row's line anew until a truncation keeps the row, then keeps that line until the row is forgotten", () => {
    const path = journalPath();
    const journal = createLedgerJournal<{ id: string; outcome: string }>({ path });
    const held = { id: 'a', outcome: 'interrupted' };
    journal.appendAll([held]);
    expect(readFileSync(path, 'utf8')).toBe('{"id":"a","outcome":"interrupted"}\n');
    // Appending does not keep the line: the first truncation that keeps the row writes it as it is now.
    held.outcome = 'first';
    journal.clear([held]);
    expect(readFileSync(path, 'utf8')).toBe('{"id":"a","outcome":"first"}\n');
    // From then on the line is made once: a later change to the object reaches neither appends nor truncations.
    held.outcome = 'second';
    journal.appendAll([held]);
    journal.clear([held]);
    expect(readFileSync(path, 'utf8')).toBe('{"id":"a","outcome":"first"}\n');
    journal.forget(held);
    journal.clear([held]);
    expect(readFileSync(path, 'utf8')).toBe('{"id":"a","outcome":"second"}\n');
    journal.close();
  });

  it('has the journal forget a held row once its final row or another held row under its id replaces it', async () => {
    const path = journalPath();
    const journal = createLedgerJournal<{ id: string; outcome: string }>({ path });
    const forget = vi.spyOn(journal, 'forget');
    const forgotten = () => forget.mock.calls.map(([entry]) => `${entry.id}:${entry.outcome}`);
    const writer = createLedgerWriter<{ id: string; outcome: string }>({ journal, flushIntervalMs: 1_000_000, insertMany: async () => {} });
    writer.hold('a', { id: 'a', outcome: 'first' });
    writer.hold('a', { id: 'a', outcome: 'second' });
    expect(forgotten()).toEqual(['a:first']);
    writer.write({ id: 'b', outcome: 'ok' });
    writer.write({ id: 'a', outcome: 'ok' }, 'a');
    expect(forgotten()).toEqual(['a:first', 'a:second']);
    // A final row whose held row is already gone forgets nothing more.
    writer.write({ id: 'a', outcome: 'again' }, 'a');
    expect(forgotten()).toEqual(['a:first', 'a:second']);
    await writer.close();
    journal.close();
  });
});

/**
 * kill -9 under load: every request the client saw complete is in the ledger
 * after a restart. Rows reach the database in batches (here every 10 minutes,
 * so only the journal can save them); the journal is written before each
 * response ends and replayed at start.
 */
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBuiltServer } from '../support/start-built-server.js';
import { prepareJournalTest } from '../support/prepare-journal-test.js';

const KEY = 'sk-durable-0123456789abcdef';

let prepared: Awaited<ReturnType<typeof prepareJournalTest>> | undefined;
let directory: string;

beforeAll(async () => {
  prepared = await prepareJournalTest({ name: 'durable', key: KEY });
  directory = prepared.directory;
}, 120_000);
afterAll(() => prepared?.close());

const start = () => startBuiltServer({ config: join(directory, 'mixroute.yaml'), cwd: directory });

describe('ledger durability', () => {
  it('after kill -9 under load and a restart, every request the client saw complete is in the ledger', async () => {
    const first = await start();
    const completed = new Set<string>();
    let stop = false;
    const worker = async () => {
      while (!stop) {
        try {
          const response = await fetch(`${first.url}/v1/messages`, {
            method: 'POST',
            headers: { 'x-api-key': KEY, 'content-type': 'application/json' },
            body: JSON.stringify({ model: 'claude-sonnet-4-5-20250929', max_tokens: 20, stream: true, messages: [{ role: 'user', content: 'hi' }] }),
          });
          const text = await response.text();
          if (text.includes('event: message_stop')) completed.add(response.headers.get('x-mixroute-request-id')!);
        } catch {
          // Requests cut by the kill did not complete.
        }
      }
    };
    const workers = Array.from({ length: 8 }, worker);
    while (completed.size < 60) await new Promise((done) => setTimeout(done, 10));
    first.child.kill('SIGKILL');
    await first.exited;
    stop = true;
    await Promise.all(workers);
    expect(completed.size).toBeGreaterThanOrEqual(60);

    const second = await start();
    second.child.kill('SIGTERM');
    await second.exited;
    const database = new Database(join(directory, 'data/mixroute.db'), { readonly: true });
    const ids = new Set((database.prepare('select id from ledger').all() as Array<{ id: string }>).map((row) => row.id));
    database.close();
    const missing = [...completed].filter((id) => !ids.has(id));
    expect(missing).toEqual([]);
  }, 120_000);
});

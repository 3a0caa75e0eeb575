/**
 * kill -9 under load: every request the client saw complete is in the ledger
 * after a restart. Rows reach the database in batches (here every 10 minutes,
 * so only the journal can save them); the journal is written before each
 * response ends and replayed at start.
 */
import { execFileSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, startBuiltServer } from '../support/start-built-server.js';
import { replayFixture, startFakeAnthropicUpstream, type FakeUpstream } from '../support/fake-anthropic-upstream.js';

const KEY = 'sk-durable-0123456789abcdef';

let upstream: FakeUpstream;
let directory: string;

beforeAll(async () => {
  execFileSync(join(ROOT, 'node_modules/.bin/tsc'), ['-p', join(ROOT, 'tsconfig.json')], { stdio: 'inherit' });
  upstream = await startFakeAnthropicUpstream({ handler: replayFixture('text', { split: 'events', delayMs: 2 }) });
  directory = await mkdtemp(join(tmpdir(), 'mixroute-durable-'));
  await writeFile(
    join(directory, 'mixroute.yaml'),
    [
      'server: { host: 127.0.0.1, port: 0, data_dir: ./data, log_level: warn, ledger_flush_interval_ms: 600000 }',
      `channels: [ { name: fake, type: anthropic, base_url: "${upstream.url}", api_key: sk-ant-x, models: ["claude-*"] } ]`,
      `keys: [ { name: load, key: ${KEY} } ]`,
    ].join('\n'),
  );
}, 120_000);
afterAll(async () => {
  await upstream?.close();
  if (directory) await rm(directory, { recursive: true, force: true });
});

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

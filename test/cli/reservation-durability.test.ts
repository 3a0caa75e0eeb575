/**
 * kill -9 with billed requests in flight: their reservations must not stay
 * held forever. Each reservation is journaled with a provisional row before
 * dispatch; after a restart the finished requests are charged their real
 * cost, the interrupted ones are recorded as `interrupted` and their money
 * is released, and the balance equals the start minus the ledger's costs.
 */
import { execFileSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanEnvironment } from '../support/clean-environment.js';
import { CLI, ROOT, startBuiltServer } from '../support/start-built-server.js';
import { delayBeforeHeaders, replayFixture, startFakeAnthropicUpstream, type FakeUpstream } from '../support/fake-anthropic-upstream.js';

const KEY = 'sk-payer-0123456789abcdef';
const START_NANO_USD = 10_000_000_000;

let fast: FakeUpstream;
let slow: FakeUpstream;
let directory: string;
let config: string;

beforeAll(async () => {
  execFileSync(join(ROOT, 'node_modules/.bin/tsc'), ['-p', join(ROOT, 'tsconfig.json')], { stdio: 'inherit' });
  fast = await startFakeAnthropicUpstream({ handler: replayFixture('text') });
  slow = await startFakeAnthropicUpstream({ handler: delayBeforeHeaders(60_000, replayFixture('text')) });
  directory = await mkdtemp(join(tmpdir(), 'mixroute-reservations-'));
  config = join(directory, 'mixroute.yaml');
  await writeFile(
    config,
    [
      // Rows reach the database only from the journal (or at shutdown).
      'server: { host: 127.0.0.1, port: 0, data_dir: ./data, log_level: warn, ledger_flush_interval_ms: 600000 }',
      'channels:',
      `  - { name: fast, type: anthropic, base_url: "${fast.url}", api_key: sk-ant-x, models: [], model_map: { fast-model: claude-sonnet-4-5-20250929 } }`,
      `  - { name: slow, type: anthropic, base_url: "${slow.url}", api_key: sk-ant-x, models: [], model_map: { slow-model: claude-sonnet-4-5-20250929 } }`,
      `keys: [ { name: payer, key: ${KEY}, user: payer } ]`,
    ].join('\n'),
  );
  execFileSync(process.execPath, [CLI, 'users', 'credit', 'payer', '10', '--config', config], { cwd: directory, env: cleanEnvironment() });
}, 120_000);
afterAll(async () => {
  await fast?.close();
  await slow?.close();
  if (directory) await rm(directory, { recursive: true, force: true });
});

const start = () => startBuiltServer({ config: config, cwd: directory });

const send = (url: string, model: string) =>
  fetch(`${url}/v1/messages`, {
    method: 'POST',
    headers: { 'x-api-key': KEY, 'content-type': 'application/json' },
    body: JSON.stringify({ model, max_tokens: 50, messages: [{ role: 'user', content: 'hi' }] }),
  });

describe('spending reservations across a crash', () => {
  it('after kill -9 with requests in flight, finished ones are charged, interrupted ones released, and the balance matches the ledger', async () => {
    const first = await start();
    for (let index = 0; index < 5; index++) expect((await send(first.url, 'fast-model')).status).toBe(200);
    const inFlight = Array.from({ length: 5 }, () => send(first.url, 'slow-model').catch(() => undefined));
    while (slow.messagesRequests().length < 5) await new Promise((done) => setTimeout(done, 10));
    first.child.kill('SIGKILL');
    await first.exited;
    await Promise.all(inFlight);

    const second = await start();
    second.child.kill('SIGTERM');
    await second.exited;
    const database = new Database(join(directory, 'data/mixroute.db'), { readonly: true });
    const rows = database.prepare("select outcome, status, cost_nano_usd from ledger where user_id = (select id from users where name = 'payer')").all() as Array<{ outcome: string; status: number; cost_nano_usd: number }>;
    const balance = (database.prepare("select balance_nano_usd from users where name = 'payer'").get() as { balance_nano_usd: number }).balance_nano_usd;
    database.close();
    expect(rows.filter((row) => row.outcome === 'ok')).toHaveLength(5);
    expect(rows.filter((row) => row.outcome === 'interrupted')).toEqual(Array(5).fill({ outcome: 'interrupted', status: 500, cost_nano_usd: 0 }));
    const spent = rows.reduce((sum, row) => sum + row.cost_nano_usd, 0);
    // Sonnet 4.5, 12 input and 29 output tokens for each finished request.
    expect(spent).toBe(5 * (12 * 3_000 + 29 * 15_000));
    expect(balance).toBe(START_NANO_USD - spent);
  }, 120_000);
});

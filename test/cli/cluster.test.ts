/**
 * `serve` with several worker processes (server.workers): they share one
 * port; a worker killed with -9 under load is replaced, and its replacement
 * replays its journal, so every request a client saw complete is in the
 * ledger; SIGTERM drains every worker and the primary exits 0.
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { startBuiltServer } from '../support/start-built-server.js';
import { prepareJournalTest } from '../support/prepare-journal-test.js';

const KEY = 'sk-cluster-0123456789abcdef';

let prepared: Awaited<ReturnType<typeof prepareJournalTest>> | undefined;
let directory: string;

beforeAll(async () => {
  prepared = await prepareJournalTest({ name: 'cluster', key: KEY, server: 'workers: 2' });
  directory = prepared.directory;
}, 120_000);
afterAll(() => prepared?.close());

function childrenOf(pid: number): number[] {
  try {
    return execFileSync('pgrep', ['-P', String(pid)], { encoding: 'utf8' }).trim().split('\n').filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

async function waitFor(condition: () => boolean, what: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((done) => setTimeout(done, 25));
  }
}

describe('serve with worker processes', () => {
  it('shares the port, replaces a worker killed under load, loses no completed request, and drains on SIGTERM', async () => {
    const server = await startBuiltServer({ config: join(directory, 'mixroute.yaml'), cwd: directory, ready: /worker processes\)/ });
    const { child, url, exited } = server;
    onTestFinished(() => {
      if (child.exitCode === null) {
        for (const pid of childrenOf(child.pid!)) process.kill(pid, 'SIGKILL');
        child.kill('SIGKILL');
      }
    });
    expect(server.output()).toContain('(2 worker processes)');
    await waitFor(() => childrenOf(child.pid!).length === 2, 'two workers');
    const [victim] = childrenOf(child.pid!);

    const completed = new Set<string>();
    let stop = false;
    const client = async () => {
      while (!stop) {
        try {
          // A new connection each time, so the primary spreads them over both workers.
          const response = await fetch(`${url}/v1/messages`, {
            method: 'POST',
            headers: { 'x-api-key': KEY, 'content-type': 'application/json', connection: 'close' },
            body: JSON.stringify({ model: 'claude-sonnet-4-5-20250929', max_tokens: 20, stream: true, messages: [{ role: 'user', content: 'hi' }] }),
            // As a real client would: a connection the kill left unanswered must not hang the test.
            signal: AbortSignal.timeout(10_000),
          });
          const text = await response.text();
          if (text.includes('event: message_stop')) completed.add(response.headers.get('x-mixroute-request-id')!);
        } catch {
          // Requests cut by the kill did not complete.
        }
      }
    };
    const clients = Array.from({ length: 8 }, client);
    await waitFor(() => completed.size >= 60, '60 completed requests');
    process.kill(victim!, 'SIGKILL');
    await waitFor(() => childrenOf(child.pid!).length === 2 && !childrenOf(child.pid!).includes(victim!), 'a replacement worker');
    const afterRestart = completed.size;
    await waitFor(() => completed.size >= afterRestart + 60, '60 more completed requests');
    stop = true;
    await Promise.all(clients);

    child.kill('SIGTERM');
    const code = await Promise.race([exited, new Promise((resolve) => setTimeout(() => resolve('still running 30 s after SIGTERM'), 30_000))]);
    expect(code, server.output()).toBe(0);
    expect(server.output()).not.toMatch(/workers keep failing/);
    const database = new Database(join(directory, 'data/mixroute.db'), { readonly: true });
    const ids = new Set((database.prepare('select id from ledger').all() as Array<{ id: string }>).map((row) => row.id));
    database.close();
    expect([...completed].filter((id) => !ids.has(id))).toEqual([]);
  }, 120_000);
});

/**
 * Graceful shutdown of the built CLI (`node dist/cli.js serve`): SIGTERM while
 * a stream is in flight. The listener closes at once, the stream is allowed to
 * finish (within server.shutdown_grace_ms), the ledger is flushed, and the
 * process exits 0. A stream that outlives the grace period is cut, and its
 * ledger row still reaches the database.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { cleanEnvironment } from '../support/clean-environment.js';
import {
  readStreamFixture,
  replayFixture,
  splitSseEvents,
  stallMidStream,
  startFakeAnthropicUpstream,
  type FakeUpstream,
} from '../support/fake-anthropic-upstream.js';

const ROOT = resolve(import.meta.dirname, '../..');
const CLI = join(ROOT, 'dist/cli.js');
const CLIENT_KEY = 'sk-shutdown-0123456789abcdef';
const CHANNEL_KEY = 'sk-ant-shutdown-channel-0001';

let upstream: FakeUpstream;
const cleanups: Array<() => Promise<void> | void> = [];

beforeAll(async () => {
  // The CLI runs from dist/, as `npm start` runs it; an incremental build is quick when nothing changed.
  execFileSync(join(ROOT, 'node_modules/.bin/tsc'), ['-p', join(ROOT, 'tsconfig.json')], { stdio: 'inherit' });
  upstream = await startFakeAnthropicUpstream();
}, 120_000);
afterAll(async () => upstream?.close());
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()!();
  upstream.reset();
});

interface Served {
  child: ChildProcess;
  url: string;
  port: number;
  databasePath: string;
  output: () => string;
  /** Resolves with the exit code and the time (Date.now()) the process exited. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>;
  waitForOutput(pattern: RegExp, timeoutMs?: number): Promise<void>;
}

/** Writes a YAML config into a fresh directory and starts `serve --config` there. */
async function serveWithConfig(server: Record<string, string | number>): Promise<Served> {
  const cwd = await mkdtemp(join(tmpdir(), 'mixroute-shutdown-'));
  cleanups.push(() => rm(cwd, { recursive: true, force: true }));
  const file = join(cwd, 'mixroute.yaml');
  await writeFile(
    file,
    [
      'server:',
      '  host: 127.0.0.1',
      '  port: 0',
      '  data_dir: ./data',
      '  log_level: info',
      // The row of the drained request can only reach the database through the shutdown flush.
      '  ledger_flush_interval_ms: 600000',
      ...Object.entries(server).map(([name, value]) => `  ${name}: ${value}`),
      'channels:',
      '  - name: slow-upstream',
      '    type: anthropic',
      `    base_url: ${upstream.url}`,
      `    api_key: ${CHANNEL_KEY}`,
      '    models: ["claude-*"]',
      'keys:',
      '  - name: alice',
      `    key: ${CLIENT_KEY}`,
    ].join('\n'),
  );
  const child = spawn(process.execPath, [CLI, 'serve', '--config', file], { cwd, env: cleanEnvironment(), stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>((resolvePromise) =>
    child.once('exit', (code, signal) => resolvePromise({ code, signal, at: Date.now() })),
  );
  cleanups.push(async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGKILL');
      await exited;
    }
  });
  const waitForOutput = async (pattern: RegExp, timeoutMs = 20_000) => {
    const deadline = Date.now() + timeoutMs;
    while (!pattern.test(output)) {
      if (Date.now() > deadline) throw new Error(`no ${pattern} in mixroute's output:\n${output}`);
      if (child.exitCode !== null && !pattern.test(output)) throw new Error(`mixroute exited (${child.exitCode}) before ${pattern}:\n${output}`);
      await new Promise((resolvePromise) => setTimeout(resolvePromise, 10));
    }
  };
  await waitForOutput(/listening on (http:\/\/\S+)/);
  const url = /listening on (http:\/\/\S+)/.exec(output)![1]!;
  return {
    child,
    url,
    port: Number(new URL(url).port),
    databasePath: join(cwd, 'data/mixroute.db'),
    output: () => output,
    exited,
    waitForOutput,
  };
}

/** Starts a streaming Messages request and resolves once its first body bytes arrived. */
async function startStream(url: string) {
  const response = await fetch(`${url}/v1/messages`, {
    method: 'POST',
    headers: { 'x-api-key': CLIENT_KEY, 'content-type': 'application/json', 'anthropic-version': '2023-06-01' },
    body: JSON.stringify({ model: 'claude-sonnet-4-5-20250929', max_tokens: 64, stream: true, messages: [{ role: 'user', content: 'hi' }] }),
  });
  expect(response.status).toBe(200);
  const reader = response.body!.getReader();
  const chunks: Buffer[] = [];
  const first = await reader.read();
  expect(first.done).toBe(false);
  chunks.push(Buffer.from(first.value!));
  /** Reads to the end; resolves with the bytes and how the stream ended. */
  const rest = (async () => {
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) return { bytes: Buffer.concat(chunks), error: undefined as unknown, at: Date.now() };
        chunks.push(Buffer.from(value));
      }
    } catch (error) {
      return { bytes: Buffer.concat(chunks), error, at: Date.now() };
    }
  })();
  return { firstBytes: Buffer.from(first.value!), rest };
}

/** What a TCP connect to the port does now: 'connected' or the error code. */
function tryConnect(port: number): Promise<string> {
  return new Promise((resolvePromise) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolvePromise('connected');
    });
    socket.once('error', (error: NodeJS.ErrnoException) => resolvePromise(error.code ?? error.message));
  });
}

function readLedger(databasePath: string) {
  const database = new Database(databasePath, { readonly: true, fileMustExist: true });
  try {
    return database.prepare('SELECT * FROM ledger ORDER BY created_at').all() as Array<Record<string, unknown>>;
  } finally {
    database.close();
  }
}

describe('mixroute serve: SIGTERM with a stream in flight', () => {
  it('drains the stream in full, refuses new connections, flushes the ledger and exits 0', async () => {
    // 12 events, one write each, 120 ms apart: the stream lasts about 1.3 s.
    upstream.setHandler(replayFixture('text', { split: 'events', delayMs: 120 }));
    const fixture = readStreamFixture('text');
    const server = await serveWithConfig({ shutdown_grace_ms: 10_000 });

    const stream = await startStream(server.url);
    // Only the first event has arrived: the stream is truly in flight.
    expect(stream.firstBytes.length).toBeLessThan(fixture.length);
    const signalledAt = Date.now();
    server.child.kill('SIGTERM');
    await server.waitForOutput(/waiting for in-flight requests to finish/);

    // (b) The listener is closed once the signal is handled: a new connection is refused outright
    // (ECONNREFUSED, not accepted and left hanging), both at the TCP level and for an HTTP client.
    expect(await tryConnect(server.port)).toBe('ECONNREFUSED');
    const refused = await fetch(`${server.url}/health`).then(
      (response) => ({ status: response.status, code: undefined }),
      (error: { cause?: { code?: string } }) => ({ status: undefined, code: error.cause?.code }),
    );
    expect(refused).toEqual({ status: undefined, code: 'ECONNREFUSED' });

    // (a) The in-flight stream still completes, byte for byte.
    const ended = await stream.rest;
    expect(ended.error).toBeUndefined();
    expect(ended.bytes.equals(fixture)).toBe(true);
    expect(splitSseEvents(ended.bytes).at(-1)!.toString()).toContain('event: message_stop');
    // The signal came while most of the stream was still to come.
    expect(ended.at - signalledAt).toBeGreaterThan(500);

    // (c) Exit code 0, soon after the stream ended and well within the grace period.
    const exit = await server.exited;
    expect(exit, server.output()).toMatchObject({ code: 0, signal: null });
    expect(exit.at - signalledAt).toBeLessThan(10_000);
    expect(exit.at - ended.at).toBeLessThan(3_000);
    expect(server.output()).not.toContain('grace period over');

    // (d) The drained request's row was written by the shutdown flush (the timer would have taken 10 minutes).
    const rows = readLedger(server.databasePath);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      channel_name: 'slow-upstream',
      endpoint: 'messages',
      stream: 1,
      status: 200,
      outcome: 'ok',
      error_type: null,
      input_tokens: 12,
      output_tokens: 30,
    });
  }, 30_000);

  /** SIGTERM with `shutdown_grace_ms: 300` while the upstream stalls for 10 s after message_start. */
  async function cutStalledStream() {
    upstream.setHandler(stallMidStream('text', { afterEvents: 1, stallMs: 10_000 }));
    const server = await serveWithConfig({ shutdown_grace_ms: 300 });
    const stream = await startStream(server.url);
    expect(stream.firstBytes.toString()).toContain('event: message_start');
    const upstreamRequest = upstream.messagesRequests()[0]!;
    const signalledAt = Date.now();
    server.child.kill('SIGTERM');
    const ended = await stream.rest;
    const exit = await server.exited;
    return { server, ended, exit, signalledAt, upstreamOutcome: await upstreamRequest.outcome };
  }

  it('cuts a stream that outlives shutdown_grace_ms (≈300 ms, not the 10 s stall) and still exits 0', async () => {
    const { server, ended, exit, signalledAt, upstreamOutcome } = await cutStalledStream();

    // The client's stream is cut when the grace period is over: the connection is destroyed
    // mid-body (no terminating chunk), which fetch reports as an error ("terminated"), not as a clean end.
    expect(ended.error).toBeInstanceOf(TypeError);
    expect(ended.bytes.toString()).not.toContain('message_stop');
    expect(ended.at - signalledAt).toBeGreaterThanOrEqual(250);
    expect(ended.at - signalledAt).toBeLessThan(3_000);

    expect(exit, server.output()).toMatchObject({ code: 0, signal: null });
    expect(exit.at - signalledAt).toBeGreaterThanOrEqual(250);
    expect(exit.at - signalledAt).toBeLessThan(3_000);
    expect(server.output()).toContain('shutdown grace period over; cutting the remaining requests');
    // Cutting the client also aborted the upstream request: nobody keeps paying for it.
    expect(upstreamOutcome).toBe('client-aborted');
  }, 30_000);

  /*
   * A request cut at the end of the grace period records its row only after its connection is
   * gone (the socket's 'close' aborts the upstream request, whose body then errors). The ledger
   * writer therefore counts the rows announced by requests in flight, and close() waits for them
   * before the final flush. What is recorded is `client_aborted` (status 200) with the usage read
   * so far: message_start's input_tokens 12.
   */
  it('the cut request still gets its ledger row (client_aborted)', async () => {
    const { server, exit } = await cutStalledStream();
    expect(exit, server.output()).toMatchObject({ code: 0, signal: null });
    const rows = readLedger(server.databasePath);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      channel_name: 'slow-upstream',
      stream: 1,
      status: 200,
      outcome: 'client_aborted',
      error_type: null,
      input_tokens: 12,
    });
  }, 30_000);
});

/**
 * Claude Code (the real CLI, `-p`) doing a tool round trip through mixroute
 * with two Anthropic channels: `primary` (priority 10) fails every request
 * before its first byte, `secondary` (priority 0) is healthy. mixroute's
 * failover must hide primary from Claude Code entirely: the run succeeds, and
 * every answer Claude Code sees comes from secondary.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import {
  createToolRoundTrip,
  lastToolResults,
  replayError,
  startFakeAnthropicUpstream,
  type FakeHandler,
  type FakeUpstream,
  type RecordedRequest,
} from '../support/fake-anthropic-upstream.js';
import { CLAUDE_BIN, runClaudeCode, type RunClaudeCodeResult } from '../support/run-claude-code.js';
import { ALICE_KEY, startTestGateway, type TestGateway } from '../support/start-test-gateway.js';

const RUN_TIMEOUT_MS = 60_000;
const MARKER = 'mixroute-failover-marker-5c1e.txt';

function explain(run: RunClaudeCodeResult): string {
  return `exit=${run.exitCode} timedOut=${run.timedOut}\nstdout: ${run.stdout}\nstderr: ${run.stderr}`;
}

/** Drops the connection as soon as the request is read: no status line, no headers. */
const resetBeforeHeaders: FakeHandler = (_req, _res, ctx) => ctx.destroySocket();

describe.skipIf(!existsSync(CLAUDE_BIN))('Claude Code → mixroute with a failing primary channel → secondary', () => {
  let primary: FakeUpstream;
  let secondary: FakeUpstream;
  let mixroute: TestGateway | undefined;
  let workdir: string;

  beforeAll(async () => {
    primary = await startFakeAnthropicUpstream();
    secondary = await startFakeAnthropicUpstream();
    workdir = await mkdtemp(join(tmpdir(), 'mixroute-cc-failover-'));
    await writeFile(join(workdir, MARKER), 'marker\n');
  });
  afterAll(async () => {
    await primary?.close();
    await secondary?.close();
    if (workdir) await rm(workdir, { recursive: true, force: true });
  });
  afterEach(async () => {
    await mixroute?.close();
    mixroute = undefined;
    primary.reset();
    secondary.reset();
  });

  async function startMixroute(routing: Record<string, unknown>): Promise<TestGateway> {
    mixroute = await startTestGateway({
      upstreamUrl: primary.url,
      config: {
        routing,
        channels: [
          { name: 'primary', type: 'anthropic', base_url: primary.url, api_key: 'sk-ant-primary-0001', models: ['claude-*'], priority: 10 },
          { name: 'secondary', type: 'anthropic', base_url: secondary.url, api_key: 'sk-ant-secondary-0001', models: ['claude-*'], priority: 0 },
        ],
      },
    });
    return mixroute;
  }

  /** Runs the Bash(ls) round trip with primary answering `failure` and secondary running the script. */
  async function roundTrip(failure: FakeHandler, routing: Record<string, unknown>) {
    const gateway = await startMixroute(routing);
    primary.setHandler(failure);
    const script = createToolRoundTrip({
      toolInput: { command: 'ls', description: 'List files in the current directory' },
      finalText: (output) => `FINAL: the directory holds ${output.trim().split(/\s+/).join(', ')}`,
      usage: { input_tokens: 700, output_tokens: 40 },
    });
    secondary.setHandler(script.handler);
    const run = await runClaudeCode({
      baseUrl: gateway.url,
      prompt: 'list the files in this directory',
      auth: { authToken: ALICE_KEY },
      allowedTools: ['Bash(ls:*)'],
      cwd: workdir,
      timeoutMs: RUN_TIMEOUT_MS,
    });
    expect(run.exitCode, explain(run)).toBe(0);
    expect(run.json?.is_error, explain(run)).toBe(false);
    expect(run.json?.result).toBe(`FINAL: the directory holds ${MARKER}`);
    expect(run.json?.num_turns).toBe(2);
    expect(script.toolResults).toEqual([{ content: MARKER, is_error: false }]);

    // Secondary answered both turns: the tool_use, then the final text after the tool_result.
    const served = secondary.messagesRequests() as [RecordedRequest, RecordedRequest];
    expect(served).toHaveLength(2);
    expect(lastToolResults(served[0].json)).toEqual([]);
    expect(lastToolResults(served[1].json)).toEqual([{ tool_use_id: script.toolUseId, content: MARKER, is_error: false }]);
    for (const request of served) expect(request.headers['x-api-key']).toBe('sk-ant-secondary-0001');

    // One ledger row per request Claude Code made, each served by secondary: no failure reached it.
    const rows = await gateway.ledger();
    expect(rows).toHaveLength(2);
    for (const row of rows) {
      expect(row).toMatchObject({ channelName: 'secondary', status: 200, outcome: 'ok', stream: true, inputTokens: 700, outputTokens: 40, sessionId: run.json?.session_id });
    }
    const primaryId = (await gateway.gateway.storage.channels.findByName('primary'))!.id;
    const secondaryId = (await gateway.gateway.storage.channels.findByName('secondary'))!.id;
    const breakers = gateway.gateway.health.snapshot().breakers;
    return {
      gateway,
      run,
      script,
      primaryBreaker: breakers.find((breaker) => breaker.channelId === primaryId),
      secondaryBreaker: breakers.find((breaker) => breaker.channelId === secondaryId),
    };
  }

  /** Primary got exactly the request each time secondary did, first, and it was the same request (failover, not a new one). */
  function expectEachTurnTriedPrimaryFirst(): void {
    const tried = primary.messagesRequests();
    const served = secondary.messagesRequests();
    expect(tried).toHaveLength(served.length);
    tried.forEach((request, index) => {
      expect(request.headers['x-api-key']).toBe('sk-ant-primary-0001');
      expect(request.body.equals(served[index]!.body)).toBe(true);
      expect(request.receivedAt).toBeLessThanOrEqual(served[index]!.receivedAt);
    });
  }

  test('529 overloaded on every primary request: each turn tries primary first, fails over to secondary', async () => {
    // failure_threshold 100: the breaker never takes primary out. session_ttl_ms 1: session affinity
    // forgets at once which target served the last turn; otherwise it would send turn 2 straight to
    // secondary (see the last test) and primary would see only one request.
    const { primaryBreaker, secondaryBreaker } = await roundTrip(replayError(529), { breaker: { failure_threshold: 100 }, session_ttl_ms: 1 });

    // Claude Code's warm-up HEAD / is answered by mixroute itself; only the two turns went upstream.
    expect(primary.requests.map((request) => `${request.method} ${request.path}`)).toEqual(['POST /v1/messages', 'POST /v1/messages']);
    expectEachTurnTriedPrimaryFirst();
    for (const request of primary.messagesRequests()) expect(await request.outcome).toBe('finished');

    expect(primaryBreaker).toMatchObject({ state: 'closed', consecutiveFailures: 2, windowRequests: 2, windowFailures: 2 });
    expect(secondaryBreaker).toMatchObject({ state: 'closed', consecutiveFailures: 0, windowFailures: 0 });
  }, RUN_TIMEOUT_MS + 10_000);

  test('connection reset before headers: failover to secondary, and primary\'s breaker opens', async () => {
    // Two turns, two resets: with failure_threshold 2 the second one opens primary's breaker
    // (session affinity off, as above, so that turn 2 does try primary).
    const { gateway, primaryBreaker, secondaryBreaker } = await roundTrip(resetBeforeHeaders, { breaker: { failure_threshold: 2 }, session_ttl_ms: 1 });

    expect(primary.requests.map((request) => `${request.method} ${request.path}`)).toEqual(['POST /v1/messages', 'POST /v1/messages']);
    expectEachTurnTriedPrimaryFirst();
    for (const request of primary.messagesRequests()) expect(await request.outcome).toBe('server-destroyed');

    expect(primaryBreaker).toMatchObject({ state: 'open', consecutiveFailures: 2, windowFailures: 2 });
    expect(primaryBreaker?.openedAt).toEqual(expect.any(Number));
    expect(secondaryBreaker).toMatchObject({ state: 'closed', windowFailures: 0 });

    // With the breaker open, the next request (another client, no session) skips primary altogether.
    const response = await fetch(`${gateway.url}/v1/messages`, {
      method: 'POST',
      headers: { 'x-api-key': ALICE_KEY, 'content-type': 'application/json', 'anthropic-version': '2023-06-01' },
      body: JSON.stringify({ model: 'claude-sonnet-4-5-20250929', max_tokens: 64, messages: [{ role: 'user', content: 'hi' }] }),
    });
    expect(response.status).toBe(200);
    await response.arrayBuffer();
    expect(primary.messagesRequests()).toHaveLength(2);
    expect(secondary.messagesRequests()).toHaveLength(3);
    expect((await gateway.ledger())[0]).toMatchObject({ channelName: 'secondary', outcome: 'ok', stream: false });
  }, RUN_TIMEOUT_MS + 10_000);

  test('default routing: session affinity keeps turn 2 on secondary, so primary sees one request and its breaker stays closed', async () => {
    // With the defaults (session_ttl_ms 1 h, failure_threshold 5), turn 1 fails over to secondary
    // and mixroute remembers that secondary served Claude Code's session (x-claude-code-session-id);
    // turn 2 is sent to secondary first despite its lower priority. One failure of five: closed.
    const { run, primaryBreaker } = await roundTrip(replayError(529), {});

    const [tried] = primary.messagesRequests();
    expect(primary.messagesRequests()).toHaveLength(1);
    expect(tried!.headers['x-claude-code-session-id']).toBe(run.json?.session_id);
    expect(tried!.body.equals(secondary.messagesRequests()[0]!.body)).toBe(true);
    expect(primaryBreaker).toMatchObject({ state: 'closed', consecutiveFailures: 1, windowFailures: 1 });
  }, RUN_TIMEOUT_MS + 10_000);
});

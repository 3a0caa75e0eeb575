/**
 * Claude Code (the real CLI) pointed straight at the fake upstream, no mixroute in between.
 * Proves the fake upstream and the runner; the mixroute tests run the same scenarios through the
 * gateway and can compare against these.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import {
  createToolRoundTrip,
  extractSseText,
  lastToolResults,
  readStreamFixture,
  replayText,
  startFakeAnthropicUpstream,
  type FakeUpstream,
  type RecordedRequest,
} from '../support/fake-anthropic-upstream.js';
import { CLAUDE_BIN, runClaudeCode, type RunClaudeCodeResult } from '../support/run-claude-code.js';

const RUN_TIMEOUT_MS = 60_000;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const timings: Record<string, number> = {};

function explain(run: RunClaudeCodeResult): string {
  return `exit=${run.exitCode} signal=${run.signal} timedOut=${run.timedOut}\nstdout: ${run.stdout}\nstderr: ${run.stderr}`;
}

/** The checks every Claude Code messages request must pass, whatever the auth mode. */
function expectClaudeCodeMessagesRequest(req: RecordedRequest): void {
  expect(req.method).toBe('POST');
  expect(req.url).toBe('/v1/messages?beta=true');
  expect(req.query).toEqual({ beta: 'true' });
  expect(req.headers['anthropic-version']).toBe('2023-06-01');
  expect(String(req.headers['anthropic-beta']).split(',')).toContain('claude-code-20250219');
  expect(req.headers['content-type']).toBe('application/json');
  expect(req.headers['user-agent']).toMatch(/^claude-cli\/2\.1\.\d+ /);
  expect(req.headers['x-claude-code-session-id']).toMatch(UUID);
  expect(req.json.stream).toBe(true);
  expect(req.json.model).toBe('claude-opus-4-8');
  // metadata.user_id is itself a JSON string carrying the same session id as the header.
  expect(JSON.parse(req.json.metadata.user_id).session_id).toBe(req.headers['x-claude-code-session-id']);
}

describe.skipIf(!existsSync(CLAUDE_BIN))('Claude Code → fake Anthropic upstream (no mixroute)', () => {
  let upstream: FakeUpstream;

  beforeAll(async () => {
    upstream = await startFakeAnthropicUpstream();
  });
  afterAll(async () => {
    await upstream?.close();
    console.log('Claude Code run timings (ms):', timings);
  });
  beforeEach(() => upstream.reset());

  test('-p text prompt with ANTHROPIC_AUTH_TOKEN (replays the recorded text stream)', async () => {
    const run = await runClaudeCode({
      baseUrl: upstream.url,
      prompt: 'say hi',
      auth: { authToken: 'sk-test-authtoken' },
      timeoutMs: RUN_TIMEOUT_MS,
    });
    timings.textAuthToken = run.durationMs;

    expect(run.exitCode, explain(run)).toBe(0);
    expect(run.json?.type).toBe('result');
    expect(run.json?.is_error).toBe(false);
    expect(run.json?.result).toBe(extractSseText(readStreamFixture('text')));
    // Usage as the recorded message_delta reports it (cumulative, last value wins).
    expect(run.json?.usage).toMatchObject({ input_tokens: 12, output_tokens: 30 });

    const messages = upstream.messagesRequests();
    expect(messages).toHaveLength(1);
    const [req] = messages as [RecordedRequest];
    expectClaudeCodeMessagesRequest(req);
    expect(req.headers.authorization).toBe('Bearer sk-test-authtoken');
    expect(req.headers['x-api-key']).toBeUndefined();
    expect(run.json?.session_id).toBe(req.headers['x-claude-code-session-id']);
    expect(await req.outcome).toBe('finished');
    // Nothing but the warm-up HEAD / and the one messages call.
    expect(upstream.requests.map((r) => `${r.method} ${r.path}`)).toEqual(['HEAD /', 'POST /v1/messages']);
  }, RUN_TIMEOUT_MS + 10_000);

  test('-p text prompt with ANTHROPIC_API_KEY (synthetic stream, written event by event)', async () => {
    upstream.setHandler(
      replayText('DIRECT-API-KEY-OK: the fake upstream answered.', {
        usage: { input_tokens: 321, output_tokens: 17 },
        split: 'events',
        delayMs: 5,
      }),
    );
    const run = await runClaudeCode({
      baseUrl: upstream.url,
      prompt: 'say hi',
      auth: { apiKey: 'sk-ant-test-apikey' },
      timeoutMs: RUN_TIMEOUT_MS,
    });
    timings.textApiKey = run.durationMs;

    expect(run.exitCode, explain(run)).toBe(0);
    expect(run.json?.result).toBe('DIRECT-API-KEY-OK: the fake upstream answered.');
    expect(run.json?.usage).toMatchObject({ input_tokens: 321, output_tokens: 17 });

    const messages = upstream.messagesRequests();
    expect(messages).toHaveLength(1);
    const [req] = messages as [RecordedRequest];
    expectClaudeCodeMessagesRequest(req);
    expect(req.headers['x-api-key']).toBe('sk-ant-test-apikey');
    expect(req.headers.authorization).toBeUndefined();
  }, RUN_TIMEOUT_MS + 10_000);

  describe('tool round trip', () => {
    let workdir: string;
    beforeAll(async () => {
      workdir = await mkdtemp(join(tmpdir(), 'mixroute-cc-tool-'));
      await writeFile(join(workdir, 'mixroute-marker-7f3a.txt'), 'marker\n');
    });
    afterAll(async () => {
      if (workdir) await rm(workdir, { recursive: true, force: true });
    });

    test('tool_use Bash(ls) → Claude Code runs it → tool_result → final text', async () => {
      const script = createToolRoundTrip({
        toolInput: { command: 'ls', description: 'List files in the current directory' },
        finalText: (output) => `FINAL: the directory holds ${output.trim().split(/\s+/).join(', ')}`,
      });
      upstream.setHandler(script.handler);

      const run = await runClaudeCode({
        baseUrl: upstream.url,
        prompt: 'list the files in this directory',
        auth: { authToken: 'sk-test-authtoken' },
        allowedTools: ['Bash(ls:*)'],
        cwd: workdir,
        timeoutMs: RUN_TIMEOUT_MS,
      });
      timings.toolRoundTrip = run.durationMs;

      expect(run.exitCode, explain(run)).toBe(0);
      expect(run.json?.result).toBe('FINAL: the directory holds mixroute-marker-7f3a.txt');
      expect(run.json?.num_turns).toBe(2);
      expect(run.json?.permission_denials).toEqual([]);

      const messages = upstream.messagesRequests();
      expect(messages).toHaveLength(2);
      const [first, second] = messages as [RecordedRequest, RecordedRequest];
      expectClaudeCodeMessagesRequest(first);
      expectClaudeCodeMessagesRequest(second);
      expect(second.headers['x-claude-code-session-id']).toBe(first.headers['x-claude-code-session-id']);
      expect(first.json.tools.map((t: { name: string }) => t.name)).toContain('Bash');

      // The assistant turn is echoed back verbatim, then the tool_result follows.
      const echoed = second.json.messages.at(-2);
      expect(echoed.role).toBe('assistant');
      expect(echoed.content).toEqual([
        { type: 'text', text: "I'll list the files." },
        {
          type: 'tool_use',
          id: script.toolUseId,
          name: 'Bash',
          input: { command: 'ls', description: 'List files in the current directory' },
        },
      ]);
      const results = lastToolResults(second.json);
      expect(results).toEqual([{ tool_use_id: script.toolUseId, content: 'mixroute-marker-7f3a.txt', is_error: false }]);
      expect(script.toolResults).toEqual([{ content: 'mixroute-marker-7f3a.txt', is_error: false }]);
    }, RUN_TIMEOUT_MS + 10_000);
  });
});

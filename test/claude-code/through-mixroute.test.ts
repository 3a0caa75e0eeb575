/**
 * Claude Code itself (the npm CLI) pointed at a running mixroute, which relays
 * to a fake Anthropic upstream on 127.0.0.1: `-p` prompts with
 * ANTHROPIC_AUTH_TOKEN and with ANTHROPIC_API_KEY, and a tool round trip.
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
import { ALICE_KEY, BOB_KEY, CHANNEL_KEY, startTestGateway, type TestGateway } from '../support/start-test-gateway.js';

const RUN_TIMEOUT_MS = 60_000;

function explain(run: RunClaudeCodeResult): string {
  return `exit=${run.exitCode} timedOut=${run.timedOut}\nstdout: ${run.stdout}\nstderr: ${run.stderr}`;
}

function expectRelayedClaudeCodeRequest(request: RecordedRequest, clientKey: string): void {
  expect(request.url).toBe('/v1/messages?beta=true');
  expect(request.headers['anthropic-version']).toBe('2023-06-01');
  expect(String(request.headers['anthropic-beta']).split(',')).toContain('claude-code-20250219');
  expect(request.headers['user-agent']).toMatch(/^claude-cli\//);
  expect(request.headers['x-claude-code-session-id']).toMatch(/^[0-9a-f-]{36}$/);
  expect(request.json.stream).toBe(true);
  // The attribution block stays first in the system array, as Anthropic needs to strip it.
  expect(request.json.system[0].text).toMatch(/^x-anthropic-billing-header: /);
  // The channel's credential goes up; Claude Code's key stays in mixroute.
  expect(request.headers['x-api-key']).toBe(CHANNEL_KEY);
  expect(request.headers.authorization).toBeUndefined();
  expect(request.rawHeaders.join('\n')).not.toContain(clientKey);
}

describe.skipIf(!existsSync(CLAUDE_BIN))('Claude Code → mixroute → fake Anthropic upstream', () => {
  let upstream: FakeUpstream;
  let mixroute: TestGateway;

  beforeAll(async () => {
    upstream = await startFakeAnthropicUpstream();
    mixroute = await startTestGateway({ upstreamUrl: upstream.url });
  });
  afterAll(async () => {
    await mixroute?.close();
    await upstream?.close();
  });
  beforeEach(() => upstream.reset());

  test('-p prompt with ANTHROPIC_AUTH_TOKEN (Authorization: Bearer)', async () => {
    const run = await runClaudeCode({ baseUrl: mixroute.url, prompt: 'say hi', auth: { authToken: ALICE_KEY }, timeoutMs: RUN_TIMEOUT_MS });
    expect(run.exitCode, explain(run)).toBe(0);
    expect(run.json?.result).toBe(extractSseText(readStreamFixture('text')));
    expect(run.json?.usage).toMatchObject({ input_tokens: 12, output_tokens: 30 });
    const [request] = upstream.messagesRequests();
    expectRelayedClaudeCodeRequest(request!, ALICE_KEY);
    // mixroute answers Claude Code's warm-up HEAD / itself.
    expect(upstream.requests.map((r) => `${r.method} ${r.path}`)).toEqual(['POST /v1/messages']);
    const [row] = await mixroute.ledger();
    expect(row).toMatchObject({
      clientModel: 'claude-opus-4-8',
      stream: true,
      outcome: 'ok',
      inputTokens: 12,
      outputTokens: 30,
      sessionId: run.json?.session_id,
    });
  }, RUN_TIMEOUT_MS + 10_000);

  test('-p prompt with ANTHROPIC_API_KEY (x-api-key)', async () => {
    upstream.setHandler(replayText('Relayed through mixroute.', { usage: { input_tokens: 321, output_tokens: 17 }, split: 'events', delayMs: 5 }));
    const run = await runClaudeCode({ baseUrl: mixroute.url, prompt: 'say hi', auth: { apiKey: BOB_KEY }, timeoutMs: RUN_TIMEOUT_MS });
    expect(run.exitCode, explain(run)).toBe(0);
    expect(run.json?.result).toBe('Relayed through mixroute.');
    const [request] = upstream.messagesRequests();
    expectRelayedClaudeCodeRequest(request!, BOB_KEY);
    const [row] = await mixroute.ledger();
    expect(row).toMatchObject({ outcome: 'ok', inputTokens: 321, outputTokens: 17 });
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
        usage: { input_tokens: 1000, output_tokens: 50, cache_creation_input_tokens: 200, cache_read_input_tokens: 300 },
      });
      upstream.setHandler(script.handler);
      const run = await runClaudeCode({
        baseUrl: mixroute.url,
        prompt: 'list the files in this directory',
        auth: { authToken: ALICE_KEY },
        allowedTools: ['Bash(ls:*)'],
        cwd: workdir,
        timeoutMs: RUN_TIMEOUT_MS,
      });
      expect(run.exitCode, explain(run)).toBe(0);
      expect(run.json?.result).toBe('FINAL: the directory holds mixroute-marker-7f3a.txt');
      expect(run.json?.num_turns).toBe(2);

      const [first, second] = upstream.messagesRequests() as [RecordedRequest, RecordedRequest];
      expectRelayedClaudeCodeRequest(first, ALICE_KEY);
      expectRelayedClaudeCodeRequest(second, ALICE_KEY);
      expect(lastToolResults(second.json)).toEqual([{ tool_use_id: script.toolUseId, content: 'mixroute-marker-7f3a.txt', is_error: false }]);

      const rows = (await mixroute.ledger()).slice(0, 2);
      expect(rows).toHaveLength(2);
      for (const row of rows) {
        expect(row).toMatchObject({ outcome: 'ok', inputTokens: 1000, outputTokens: 50, cacheWrite5mTokens: 200, cacheReadTokens: 300, sessionId: run.json?.session_id });
      }
    }, RUN_TIMEOUT_MS + 10_000);
  });
});

/**
 * Claude Code's CLI on an OpenAI-compatible channel: mixroute translates its
 * Messages requests to Chat Completions for a fake OpenAI upstream, and the
 * answers back, for a prompt and a tool round trip.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { replayScripted, startFakeOpenAIUpstream, type FakeOpenAIUpstream } from '../support/fake-openai-upstream.js';
import { CLAUDE_BIN, runClaudeCode, type RunClaudeCodeResult } from '../support/run-claude-code.js';
import { ALICE_KEY, startTestGateway, type TestGateway } from '../support/start-test-gateway.js';

const RUN_TIMEOUT_MS = 60_000;
const CHANNEL_KEY = 'sk-openai-for-claude-code';

function explain(run: RunClaudeCodeResult): string {
  return `exit=${run.exitCode} timedOut=${run.timedOut}\nstdout: ${run.stdout}\nstderr: ${run.stderr}`;
}

describe.skipIf(!existsSync(CLAUDE_BIN))('Claude Code → mixroute → OpenAI-compatible channel', () => {
  let upstream: FakeOpenAIUpstream;
  let mixroute: TestGateway;
  let workdir: string;

  beforeAll(async () => {
    upstream = await startFakeOpenAIUpstream();
    // Claude Code asks for claude-opus-4-8 (and haiku for side tasks): the channel serves every claude-* name.
    mixroute = await startTestGateway({
      upstreamUrl: upstream.url,
      config: { channels: [{ name: 'compatible', type: 'openai', base_url: upstream.baseUrl, api_key: CHANNEL_KEY, models: ['claude-*'], reasoning: 'reasoning_effort' }] },
    });
    workdir = await mkdtemp(join(tmpdir(), 'mixroute-cc-openai-'));
    await writeFile(join(workdir, 'translated-marker-91c2.txt'), 'marker\n');
  });
  afterAll(async () => {
    await mixroute?.close();
    await upstream?.close();
    if (workdir) await rm(workdir, { recursive: true, force: true });
  });
  beforeEach(() => upstream.reset());

  test('-p prompt', async () => {
    upstream.setChatHandler(replayScripted({ content: 'Hello from a Chat Completions upstream.', usage: { prompt_tokens: 5000, completion_tokens: 9, cached_tokens: 4000 } }));
    const run = await runClaudeCode({ baseUrl: mixroute.url, prompt: 'say hi', auth: { authToken: ALICE_KEY }, timeoutMs: RUN_TIMEOUT_MS });
    expect(run.exitCode, explain(run)).toBe(0);
    expect(run.json?.result).toBe('Hello from a Chat Completions upstream.');
    const [request] = upstream.chatRequests();
    expect(request!.headers.authorization).toBe(`Bearer ${CHANNEL_KEY}`);
    expect(request!.json).toMatchObject({ model: 'claude-opus-4-8', stream: true, stream_options: { include_usage: true } });
    expect(request!.json.messages[0].role).toBe('system');
    expect(request!.json.tools.map((tool: { function: { name: string } }) => tool.function.name)).toContain('Bash');
    const [row] = await mixroute.ledger();
    expect(row).toMatchObject({ channelName: 'compatible', outcome: 'ok', inputTokens: 1000, cacheReadTokens: 4000, outputTokens: 9 });
  }, RUN_TIMEOUT_MS + 10_000);

  test('tool round trip: tool_calls → Claude Code runs Bash(ls) → tool message → final text', async () => {
    upstream.setChatHandler(
      replayScripted((request) => {
        const result = request.json.messages.find((message: { role: string }) => message.role === 'tool');
        if (result) return { content: `FINAL: ${String(result.content).trim()}` };
        return { content: "I'll list the files.", toolCalls: [{ id: 'call_ls_0001', name: 'Bash', arguments: JSON.stringify({ command: 'ls', description: 'List files' }) }] };
      }),
    );
    const run = await runClaudeCode({
      baseUrl: mixroute.url,
      prompt: 'list the files in this directory',
      auth: { apiKey: ALICE_KEY },
      allowedTools: ['Bash(ls:*)'],
      cwd: workdir,
      timeoutMs: RUN_TIMEOUT_MS,
    });
    expect(run.exitCode, explain(run)).toBe(0);
    expect(run.json?.result).toBe('FINAL: translated-marker-91c2.txt');
    const [first, second] = upstream.chatRequests();
    expect(first!.json.messages.some((message: { role: string }) => message.role === 'tool')).toBe(false);
    // The tool message directly follows the assistant message that called the tool, as OpenAI requires.
    const messages = second!.json.messages;
    const call = messages.findIndex((message: { tool_calls?: unknown }) => message.tool_calls);
    expect(messages[call].tool_calls).toEqual([{ id: 'call_ls_0001', type: 'function', function: { name: 'Bash', arguments: JSON.stringify({ command: 'ls', description: 'List files' }) } }]);
    expect(messages[call + 1]).toMatchObject({ role: 'tool', tool_call_id: 'call_ls_0001', content: 'translated-marker-91c2.txt' });
    const rows = (await mixroute.ledger()).slice(0, 2);
    expect(rows.every((row) => row.outcome === 'ok' && row.dialect === 'anthropic')).toBe(true);
  }, RUN_TIMEOUT_MS + 10_000);
});

/**
 * A fake OpenAI-compatible upstream (`POST <base>/chat/completions`, base URL
 * `<url>/v1`), built on the fake Anthropic upstream's server and recorder:
 * it replays test/fixtures/openai recordings or scripted Chat Completions
 * answers, streamed (with `data: [DONE]`) or whole.
 */
import { readFileSync } from 'node:fs';
import type { OutgoingHttpHeaders } from 'node:http';
import {
  defaultOtherHandler,
  sendJson,
  startFakeAnthropicUpstream,
  writeSse,
  type FakeHandler,
  type FakeUpstream,
  type RecordedRequest,
  type StreamWriteOptions,
} from './fake-anthropic-upstream.js';

export interface FakeOpenAIUpstream extends FakeUpstream {
  /** The base URL to configure on an `openai` channel (`…/v1`). */
  baseUrl: string;
  chatRequests(): RecordedRequest[];
  setChatHandler(handler: FakeHandler): void;
}

const CHAT_PATH = '/v1/chat/completions';

/**
 * Two channels on one fake, which serves both protocols: `fake-anthropic`
 * (claude-*, at /v1/messages) and `fake-openai` (gpt-*, at /v1/chat/completions).
 */
export function bothProtocolChannels(upstream: FakeOpenAIUpstream, anthropicKey: string) {
  return [
    { name: 'fake-anthropic', type: 'anthropic', base_url: upstream.url, api_key: anthropicKey, models: ['claude-*'] },
    { name: 'fake-openai', type: 'openai', base_url: upstream.baseUrl, api_key: 'sk-openai-channel-0001', models: ['gpt-*'] },
  ];
}

export async function startFakeOpenAIUpstream(options: { handler?: FakeHandler } = {}): Promise<FakeOpenAIUpstream> {
  let chat: FakeHandler = options.handler ?? replayOpenAIFixture('text');
  const upstream = await startFakeAnthropicUpstream({
    otherHandler: (req, res, ctx) => (req.method === 'POST' && req.path === CHAT_PATH ? chat(req, res, ctx) : defaultOtherHandler(req, res, ctx)),
  });
  const reset = upstream.reset.bind(upstream);
  return Object.assign(upstream, {
    baseUrl: `${upstream.url}/v1`,
    chatRequests: () => upstream.requests.filter((request) => request.path === CHAT_PATH),
    setChatHandler(handler: FakeHandler) {
      chat = handler;
    },
    reset() {
      reset();
      chat = options.handler ?? replayOpenAIFixture('text');
    },
  });
}

export function readOpenAIStreamFixture(name: string): Buffer {
  return readFileSync(new URL(`../fixtures/openai/stream/${name}.sse`, import.meta.url));
}

export function readOpenAIResponseFixture(name: string): Buffer {
  return readFileSync(new URL(`../fixtures/openai/response/${name}.json`, import.meta.url));
}

/** Replays `openai/stream/<name>.sse` when the request streams, `openai/response/<name>.json` otherwise. */
export function replayOpenAIFixture(name: string | ((req: RecordedRequest) => string), options: StreamWriteOptions = {}): FakeHandler {
  return async (req, res, ctx) => {
    const fixture = typeof name === 'function' ? name(req) : name;
    if (req.json?.stream === true) await writeSse(res, ctx, readOpenAIStreamFixture(fixture), options);
    else sendJson(res, 200, readOpenAIResponseFixture(fixture), options.headers);
  };
}

/** An OpenAI-shaped error: `{"error":{"message","type","param","code"}}` with the status. */
export function replayOpenAIError(status: number, message: string, options: { type?: string; code?: string | null; headers?: OutgoingHttpHeaders } = {}): FakeHandler {
  return (_req, res) => sendJson(res, status, { error: { message, type: options.type ?? 'invalid_request_error', param: null, code: options.code ?? null } }, options.headers);
}

export interface ScriptedToolCall {
  id: string;
  name: string;
  arguments: string;
}

export interface ScriptedCompletion {
  content?: string;
  reasoning?: string;
  toolCalls?: ScriptedToolCall[];
  finishReason?: 'stop' | 'length' | 'tool_calls' | 'content_filter';
  usage?: { prompt_tokens: number; completion_tokens: number; cached_tokens?: number };
  model?: string;
  /** Deltas per piece of text (default 8 characters). */
  pieceSize?: number;
}

function usageOf(script: ScriptedCompletion) {
  const usage = script.usage ?? { prompt_tokens: 10, completion_tokens: 5 };
  return {
    prompt_tokens: usage.prompt_tokens,
    completion_tokens: usage.completion_tokens,
    total_tokens: usage.prompt_tokens + usage.completion_tokens,
    prompt_tokens_details: { cached_tokens: usage.cached_tokens ?? 0 },
  };
}

function pieces(text: string, size: number): string[] {
  const result: string[] = [];
  for (let at = 0; at < text.length; at += size) result.push(text.slice(at, at + size));
  return result;
}

/** The SSE body of a scripted Chat Completions stream, as OpenAI frames it (usage chunk only when asked for). */
export function buildOpenAISse(script: ScriptedCompletion, options: { includeUsage: boolean; model: string }): string {
  const base = { id: 'chatcmpl-fake0001', object: 'chat.completion.chunk', created: 1_764_000_000, model: script.model ?? options.model };
  const size = script.pieceSize ?? 8;
  const chunks: unknown[] = [{ ...base, choices: [{ index: 0, delta: { role: 'assistant', content: '' }, finish_reason: null }] }];
  for (const piece of pieces(script.reasoning ?? '', size)) chunks.push({ ...base, choices: [{ index: 0, delta: { reasoning_content: piece }, finish_reason: null }] });
  for (const piece of pieces(script.content ?? '', size)) chunks.push({ ...base, choices: [{ index: 0, delta: { content: piece }, finish_reason: null }] });
  (script.toolCalls ?? []).forEach((call, index) => {
    chunks.push({ ...base, choices: [{ index: 0, delta: { tool_calls: [{ index, id: call.id, type: 'function', function: { name: call.name, arguments: '' } }] }, finish_reason: null }] });
    for (const piece of pieces(call.arguments, size)) {
      chunks.push({ ...base, choices: [{ index: 0, delta: { tool_calls: [{ index, function: { arguments: piece } }] }, finish_reason: null }] });
    }
  });
  const finish = script.finishReason ?? (script.toolCalls?.length ? 'tool_calls' : 'stop');
  chunks.push({ ...base, choices: [{ index: 0, delta: {}, finish_reason: finish }] });
  if (options.includeUsage) chunks.push({ ...base, choices: [], usage: usageOf(script) });
  return chunks.map((chunk) => `data: ${JSON.stringify(chunk)}\n\n`).join('') + 'data: [DONE]\n\n';
}

/** The whole Chat Completion a scripted answer makes. */
export function buildOpenAICompletion(script: ScriptedCompletion, options: { model: string }) {
  const toolCalls = script.toolCalls?.map((call) => ({ id: call.id, type: 'function', function: { name: call.name, arguments: call.arguments } }));
  return {
    id: 'chatcmpl-fake0001',
    object: 'chat.completion',
    created: 1_764_000_000,
    model: script.model ?? options.model,
    choices: [
      {
        index: 0,
        message: { role: 'assistant', content: script.content ?? null, ...(script.reasoning ? { reasoning_content: script.reasoning } : {}), ...(toolCalls?.length ? { tool_calls: toolCalls } : {}) },
        finish_reason: script.finishReason ?? (toolCalls?.length ? 'tool_calls' : 'stop'),
      },
    ],
    usage: usageOf(script),
  };
}

/** Answers with a scripted completion, streamed as the request asks; the script may depend on the request. */
export function replayScripted(script: ScriptedCompletion | ((req: RecordedRequest) => ScriptedCompletion), options: StreamWriteOptions = {}): FakeHandler {
  return async (req, res, ctx) => {
    const chosen = typeof script === 'function' ? script(req) : script;
    const model = String(req.json?.model ?? 'fake-model');
    if (req.json?.stream === true) {
      const includeUsage = req.json?.stream_options?.include_usage === true;
      await writeSse(res, ctx, buildOpenAISse(chosen, { includeUsage, model }), { split: 'events', ...options });
    } else {
      sendJson(res, 200, buildOpenAICompletion(chosen, { model }), options.headers);
    }
  };
}

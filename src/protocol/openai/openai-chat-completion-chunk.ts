import type { OpenAIFinishReason } from './openai-finish-reason.js';
import type { OpenAIUsage } from './openai-usage.js';

/**
 * One `data:` payload of a streamed Chat Completions response.
 *
 * Every chunk of one stream carries the same `id` and `created`. With
 * `stream_options.include_usage` the last chunk before `[DONE]` has
 * `choices: []` and the usage; every other chunk then has `usage: null`.
 *
 * @see openai/openai-node src/resources/chat/completions/completions.ts
 *   (`ChatCompletionChunk`)
 */
export interface OpenAIChatCompletionChunk {
  id: string;
  object: 'chat.completion.chunk';
  /** Unix time in seconds; the same in every chunk of a stream. */
  created: number;
  model: string;
  choices: OpenAIChatCompletionChunkChoice[];
  usage?: OpenAIUsage | null;
  system_fingerprint?: string | null;
  service_tier?: string | null;
  [field: string]: unknown;
}

export interface OpenAIChatCompletionChunkChoice {
  index: number;
  delta: OpenAIChatCompletionChunkDelta;
  finish_reason: OpenAIFinishReason | null;
  logprobs?: unknown;
  [field: string]: unknown;
}

export interface OpenAIChatCompletionChunkDelta {
  /** Only in the first chunk. */
  role?: 'assistant';
  content?: string | null;
  refusal?: string | null;
  tool_calls?: OpenAIChatCompletionChunkToolCall[];
  /** @deprecated Legacy single function call. */
  function_call?: { name?: string; arguments?: string } | null;
  /** DeepSeek (and older vLLM) chain-of-thought fragment. */
  reasoning_content?: string | null;
  /** OpenRouter / vLLM ≥ 0.10 chain-of-thought fragment. */
  reasoning?: string | null;
  [field: string]: unknown;
}

/**
 * A fragment of one tool call. The first fragment of a call carries `id`,
 * `type` and `function.name`; later ones only `index` and more
 * `function.arguments` text. Some servers (xAI) send the whole call at once.
 */
export interface OpenAIChatCompletionChunkToolCall {
  /** Position of the call among this choice's tool calls, from 0. */
  index: number;
  id?: string;
  type?: 'function';
  function?: {
    name?: string;
    arguments?: string;
  };
}

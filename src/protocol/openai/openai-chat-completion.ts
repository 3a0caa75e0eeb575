import type { OpenAIFinishReason } from './openai-finish-reason.js';
import type { OpenAIToolCall } from './openai-tool-call.js';
import type { OpenAIUsage } from './openai-usage.js';

/**
 * A non-streaming Chat Completions response.
 *
 * @see openai/openai-node src/resources/chat/completions/completions.ts
 *   (`ChatCompletion`, `ChatCompletionMessage`)
 */
export interface OpenAIChatCompletion {
  id: string;
  object: 'chat.completion';
  /** Unix time in seconds. */
  created: number;
  model: string;
  choices: OpenAIChatCompletionChoice[];
  usage?: OpenAIUsage;
  system_fingerprint?: string | null;
  service_tier?: string | null;
  [field: string]: unknown;
}

export interface OpenAIChatCompletionChoice {
  index: number;
  message: OpenAIChatCompletionMessage;
  /** Null only from servers that break the spec; OpenAI always sets it. */
  finish_reason: OpenAIFinishReason | null;
  logprobs?: unknown;
  [field: string]: unknown;
}

export interface OpenAIChatCompletionMessage {
  role: 'assistant';
  content: string | null;
  refusal?: string | null;
  tool_calls?: OpenAIToolCall[];
  /** @deprecated Legacy single function call. */
  function_call?: { name: string; arguments: string } | null;
  /** DeepSeek (and older vLLM) chain of thought. */
  reasoning_content?: string | null;
  /** OpenRouter / vLLM ≥ 0.10 chain of thought. */
  reasoning?: string | null;
  [field: string]: unknown;
}

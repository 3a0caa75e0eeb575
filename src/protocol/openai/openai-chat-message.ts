import type {
  OpenAIContentPart,
  OpenAIRefusalContentPart,
  OpenAITextContentPart,
} from './openai-content-part.js';
import type { OpenAIToolCall } from './openai-tool-call.js';

/**
 * One entry of a Chat Completions request's `messages`, by role.
 *
 * @see openai/openai-node src/resources/chat/completions/completions.ts
 *   (`ChatCompletionMessageParam`)
 */
export type OpenAIChatMessage =
  | OpenAISystemMessage
  | OpenAIDeveloperMessage
  | OpenAIUserMessage
  | OpenAIAssistantMessage
  | OpenAIToolMessage
  | OpenAIFunctionMessage;

export interface OpenAISystemMessage {
  role: 'system';
  content: string | OpenAITextContentPart[];
  name?: string;
  [field: string]: unknown;
}

/** What OpenAI's o-series and later models take instead of `system`. */
export interface OpenAIDeveloperMessage {
  role: 'developer';
  content: string | OpenAITextContentPart[];
  name?: string;
  [field: string]: unknown;
}

export interface OpenAIUserMessage {
  role: 'user';
  content: string | OpenAIContentPart[];
  name?: string;
  [field: string]: unknown;
}

export interface OpenAIAssistantMessage {
  role: 'assistant';
  /** Null (or absent) when the turn is only tool calls. */
  content?: string | Array<OpenAITextContentPart | OpenAIRefusalContentPart> | null;
  refusal?: string | null;
  name?: string;
  tool_calls?: OpenAIToolCall[];
  /** @deprecated Legacy single function call, superseded by `tool_calls`. */
  function_call?: { name: string; arguments: string } | null;
  /**
   * DeepSeek's chain of thought. DeepSeek rejects a tool-call turn whose
   * assistant history lacks it ("Missing `reasoning_content` field").
   * @see https://api-docs.deepseek.com/guides/thinking_mode
   */
  reasoning_content?: string | null;
  /**
   * The same chain of thought under the name OpenRouter and vLLM ≥ 0.10 use.
   * @see https://openrouter.ai/docs/use-cases/reasoning-tokens
   */
  reasoning?: string | null;
  [field: string]: unknown;
}

export interface OpenAIToolMessage {
  role: 'tool';
  tool_call_id: string;
  content: string | OpenAITextContentPart[];
  [field: string]: unknown;
}

/** @deprecated Legacy result of a `function_call`, superseded by `tool`. */
export interface OpenAIFunctionMessage {
  role: 'function';
  name: string;
  content: string | null;
  [field: string]: unknown;
}

import type { OpenAIChatMessage } from './openai-chat-message.js';
import type { OpenAIReasoningEffort } from './openai-reasoning-effort.js';
import type { OpenAIResponseFormat } from './openai-response-format.js';
import type { OpenAITool } from './openai-tool.js';
import type { OpenAIToolChoice } from './openai-tool-choice.js';

/**
 * The body of `POST /v1/chat/completions`.
 *
 * The index signature is deliberate: OpenAI-compatible servers each add their
 * own fields (vLLM `top_k`, DeepSeek `thinking`, OpenRouter `reasoning`,
 * `provider`, …), and a gateway must be able to carry them.
 *
 * @see openai/openai-node src/resources/chat/completions/completions.ts
 *   (`ChatCompletionCreateParamsBase`)
 */
export interface OpenAIChatCompletionRequest {
  model: string;
  messages: OpenAIChatMessage[];
  tools?: OpenAITool[];
  tool_choice?: OpenAIToolChoice;
  /** Defaults to true on OpenAI; false asks for at most one call per turn. */
  parallel_tool_calls?: boolean;
  /**
   * @deprecated on OpenAI in favour of `max_completion_tokens`, and rejected by
   * its o-series models, but the only field many compatible servers know.
   */
  max_tokens?: number | null;
  /** Includes reasoning tokens. */
  max_completion_tokens?: number | null;
  stop?: string | string[] | null;
  temperature?: number | null;
  top_p?: number | null;
  n?: number | null;
  stream?: boolean | null;
  stream_options?: {
    /**
     * Without it a streamed response carries no usage at all; with it a last
     * chunk with `choices: []` and `usage` precedes `[DONE]`.
     */
    include_usage?: boolean;
    include_obfuscation?: boolean;
  } | null;
  response_format?: OpenAIResponseFormat;
  reasoning_effort?: OpenAIReasoningEffort | null;
  /** @deprecated on OpenAI in favour of `safety_identifier` and `prompt_cache_key`. */
  user?: string;
  safety_identifier?: string;
  prompt_cache_key?: string;
  /** Up to 16 string pairs, stored with the completion. */
  metadata?: Record<string, string> | null;
  seed?: number | null;
  presence_penalty?: number | null;
  frequency_penalty?: number | null;
  logit_bias?: Record<string, number> | null;
  logprobs?: boolean | null;
  top_logprobs?: number | null;
  store?: boolean | null;
  service_tier?: string | null;
  /** @deprecated Legacy predecessors of `tools` / `tool_choice`. */
  functions?: Array<{ name: string; description?: string; parameters?: Record<string, unknown> }>;
  /** @deprecated */
  function_call?: 'none' | 'auto' | { name: string };

  /**
   * DeepSeek: switches thinking mode on a model that has both modes.
   * @see https://api-docs.deepseek.com/guides/thinking_mode
   */
  thinking?: { type: 'enabled' | 'disabled' };
  /**
   * OpenRouter's unified reasoning control: give `effort` or `max_tokens`.
   * @see https://openrouter.ai/docs/use-cases/reasoning-tokens
   */
  reasoning?: {
    effort?: OpenAIReasoningEffort;
    max_tokens?: number;
    exclude?: boolean;
    enabled?: boolean;
  };

  [field: string]: unknown;
}

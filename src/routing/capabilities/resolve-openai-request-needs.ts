import type { OpenAIChatCompletionRequest } from '../../protocol/openai/openai-chat-completion-request.js';
import type { RequestNeeds } from './request-needs.js';

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

function isNonEmptyArray(value: unknown): boolean {
  return Array.isArray(value) && value.length > 0;
}

/** Efforts that ask for reasoning; `none` and `minimal` mean (next to) none, and unknown values are ignored downstream. */
const THINKING_EFFORTS: ReadonlySet<unknown> = new Set(['low', 'medium', 'high', 'xhigh', 'max']);

/**
 * Whether the request asks for reasoning, read the way the OpenAI → Anthropic
 * translator reads it (first match wins): an Anthropic-shaped `thinking`
 * field (DeepSeek's switch, or `extra_body`), OpenRouter's `reasoning`
 * switch and budget, then `reasoning_effort` or `reasoning.effort`.
 */
function needsThinking(request: OpenAIChatCompletionRequest): boolean {
  const thinking: unknown = request.thinking;
  if (isRecord(thinking) && typeof thinking.type === 'string') {
    if (thinking.type === 'disabled') return false;
    if (thinking.type === 'enabled' || thinking.type === 'adaptive') return true;
  }
  const reasoning: unknown = request.reasoning;
  if (isRecord(reasoning) && reasoning.enabled === false) return false;
  const effort = request.reasoning_effort ?? (isRecord(reasoning) ? reasoning.effort : undefined);
  if (effort === 'none' || effort === 'minimal') return false;
  if (isRecord(reasoning) && typeof reasoning.max_tokens === 'number') return true;
  if (THINKING_EFFORTS.has(effort)) return true;
  return isRecord(reasoning) && reasoning.enabled === true;
}

/**
 * What a Chat Completions request needs from the channel that serves it.
 *
 * - tools: `tools` or the legacy `functions` are declared, or the history
 *   holds tool calls or tool results (an Anthropic upstream rejects
 *   `tool_use` blocks without tools support as much as declared tools).
 * - images: `image_url` parts; documents: `file` parts.
 * - serverTools and betas: always empty. Chat Completions has no Anthropic
 *   server tools, and an OpenAI client sends no `anthropic-beta` header.
 *   (`web_search_options` is OpenAI's own search; the translator ignores it
 *   with a warning rather than refusing, so it needs nothing here.)
 *
 * Like the Anthropic reader, it never throws on a malformed body: the
 * upstream rejects that in its own words.
 * @see openai/openai-node src/resources/chat/completions/completions.ts
 */
export function resolveOpenAIRequestNeeds(options: { request: OpenAIChatCompletionRequest }): RequestNeeds {
  const { request } = options;
  let tools = isNonEmptyArray(request.tools) || isNonEmptyArray(request.functions);
  let images = false;
  let documents = false;

  const messages: unknown = request.messages;
  if (Array.isArray(messages)) {
    for (const message of messages) {
      if (!isRecord(message)) continue;
      if (message.role === 'tool' || message.role === 'function') tools = true;
      if (isNonEmptyArray(message.tool_calls) || isRecord(message.function_call)) tools = true;
      if (!Array.isArray(message.content)) continue;
      for (const part of message.content) {
        if (!isRecord(part)) continue;
        if (part.type === 'image_url') images = true;
        else if (part.type === 'file') documents = true;
      }
    }
  }

  return { thinking: needsThinking(request), tools, images, documents, serverTools: [], betas: [] };
}

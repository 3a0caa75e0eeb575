import type { AnthropicMessagesRequest } from '../../protocol/anthropic/anthropic-messages-request.js';
import type { OpenAIChatCompletionRequest } from '../../protocol/openai/openai-chat-completion-request.js';
import type { ToolNameMap } from '../tool-name/tool-name-map.js';
import { convertAnthropicMessagesToOpenAI } from './convert-anthropic-messages-to-openai.js';
import { convertAnthropicThinkingToOpenAI } from './convert-anthropic-thinking-to-openai.js';
import { convertAnthropicToolsToOpenAI } from './convert-anthropic-tools-to-openai.js';
import type { ReasoningDialect } from './reasoning-dialect.js';
import { UnsupportedFeatureError } from './unsupported-feature-error.js';

export interface ConvertedOpenAIRequest {
  request: OpenAIChatCompletionRequest;
  /** The client asked for thinking and the upstream's dialect cannot express it. */
  droppedThinking: boolean;
  /** Everything translated with a loss the client did not ask for, one sentence each, for the log. */
  warnings: string[];
}

/**
 * Fields read below. Anything else is reported as dropped: an Anthropic field
 * has no meaning to an OpenAI upstream, and forwarding it would 400 there.
 */
const TRANSLATED_FIELDS = new Set([
  'model',
  'max_tokens',
  'messages',
  'system',
  'metadata',
  'stop_sequences',
  'stream',
  'temperature',
  'top_p',
  'top_k',
  'tools',
  'tool_choice',
  'thinking',
  'output_config',
  'container',
  'mcp_servers',
  'cache_control',
  'context_management',
  'service_tier',
  'speed',
  'inference_geo',
]);

/**
 * Translates an Anthropic Messages request into a Chat Completions request
 * for an OpenAI-compatible upstream.
 *
 * Features the upstream cannot express throw {@link UnsupportedFeatureError}
 * (server tools, MCP servers, containers, Files API sources, url documents,
 * server-tool history, prefill, cache pre-warming). Features whose loss only
 * degrades the answer (top_k, context management, citations, strict tools)
 * are dropped with a warning. `cache_control` is stripped without one: the
 * upstream caches by prefix on its own.
 *
 * @see ../../../../shared/protocol/anthropic-protocol.md §7.2
 */
export function convertAnthropicRequestToOpenAI(options: {
  request: AnthropicMessagesRequest;
  upstreamModel: string;
  toolNames: ToolNameMap;
  reasoning: ReasoningDialect;
  maxTokensField: 'max_tokens' | 'max_completion_tokens';
}): ConvertedOpenAIRequest {
  const { request, toolNames, reasoning } = options;
  const warnings: string[] = [];

  if (request.mcp_servers !== undefined && request.mcp_servers !== null && request.mcp_servers.length > 0) {
    throw new UnsupportedFeatureError({ feature: 'mcp_servers' });
  }
  if (request.container !== undefined && request.container !== null) {
    throw new UnsupportedFeatureError({ feature: 'container' });
  }
  if (request.max_tokens === 0) {
    // max_tokens 0 pre-warms Anthropic's prompt cache; OpenAI needs ≥ 1.
    throw new UnsupportedFeatureError({ feature: 'max_tokens: 0 (prompt-cache pre-warming)' });
  }

  const converted = convertAnthropicMessagesToOpenAI({
    system: request.system,
    messages: request.messages,
    toolNames,
    reasoning,
  });
  warnings.push(...converted.warnings);

  const openai: OpenAIChatCompletionRequest = { model: options.upstreamModel, messages: converted.messages };
  openai[options.maxTokensField] = request.max_tokens;

  const tools = convertAnthropicToolsToOpenAI({ tools: request.tools, toolChoice: request.tool_choice, toolNames });
  Object.assign(openai, tools.fields);
  warnings.push(...tools.warnings);

  if (request.stop_sequences !== undefined && request.stop_sequences.length > 0) openai.stop = request.stop_sequences;
  if (request.temperature !== undefined) openai.temperature = request.temperature;
  if (request.top_p !== undefined) openai.top_p = request.top_p;
  if (request.top_k !== undefined) warnings.push('top_k was dropped: Chat Completions has no such parameter');

  if (request.metadata !== undefined) {
    const { user_id: userId, ...rest } = request.metadata;
    if (typeof userId === 'string' && userId !== '') openai.user = userId;
    for (const key of Object.keys(rest)) warnings.push(`metadata.${key} was dropped`);
  }

  if (request.stream === true) {
    openai.stream = true;
    // Without it a streamed response carries no usage, and the gateway
    // could neither bill it nor report it to the client.
    openai.stream_options = { include_usage: true };
  }

  const outputConfig = request.output_config;
  const thinking = convertAnthropicThinkingToOpenAI({ thinking: request.thinking, effort: outputConfig?.effort, dialect: reasoning });
  Object.assign(openai, thinking.fields);
  warnings.push(...thinking.warnings);

  if (outputConfig !== undefined) {
    const { effort: _effort, format, ...rest } = outputConfig;
    if (format !== undefined) {
      if (format.type !== 'json_schema') {
        throw new UnsupportedFeatureError({ feature: `output_config.format type "${String((format as { type?: unknown }).type)}"` });
      }
      // OpenAI requires a name; Anthropic's format has none. strict matches
      // Anthropic's guarantee that the output follows the schema.
      openai.response_format = { type: 'json_schema', json_schema: { name: 'response', schema: format.schema, strict: true } };
    }
    for (const key of Object.keys(rest)) warnings.push(`output_config.${key} was dropped`);
  }

  if (request.context_management !== undefined && request.context_management !== null) {
    // Claude Code always sends it. It only trims context server-side; the
    // upstream sees the full history instead, which is correct, just longer.
    warnings.push('context_management was dropped: the upstream receives the full history');
  }
  if (request.speed !== undefined && request.speed !== 'standard') warnings.push(`speed "${request.speed}" was dropped`);
  if (request.service_tier !== undefined && request.service_tier !== 'auto') {
    warnings.push(`service_tier "${request.service_tier}" was dropped`);
  }
  if (request.inference_geo !== undefined && request.inference_geo !== null) {
    warnings.push(`inference_geo "${request.inference_geo}" was dropped`);
  }
  for (const key of Object.keys(request)) {
    if (!TRANSLATED_FIELDS.has(key)) warnings.push(`unknown field "${key}" was dropped`);
  }

  return { request: openai, droppedThinking: thinking.droppedThinking, warnings };
}

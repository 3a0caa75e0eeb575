import { Buffer } from 'node:buffer';
import { GatewayError } from '../../errors/gateway-error.js';
import type { AnthropicCacheControl } from '../../protocol/anthropic/anthropic-cache-control.js';
import type {
  AnthropicContentBlockParam,
  AnthropicDocumentBlockParam,
  AnthropicImageBlockParam,
  AnthropicImageMediaType,
  AnthropicTextBlockParam,
  AnthropicToolResultBlockParam,
  AnthropicToolUseBlockParam,
} from '../../protocol/anthropic/anthropic-content-block-param.js';
import type { AnthropicMessageParam } from '../../protocol/anthropic/anthropic-message-param.js';
import type { AnthropicMessagesRequest } from '../../protocol/anthropic/anthropic-messages-request.js';
import type { AnthropicOutputConfig } from '../../protocol/anthropic/anthropic-output-config.js';
import type { AnthropicThinkingConfig } from '../../protocol/anthropic/anthropic-thinking-config.js';
import type { AnthropicToolChoice } from '../../protocol/anthropic/anthropic-tool-choice.js';
import type { AnthropicCustomTool } from '../../protocol/anthropic/anthropic-tool.js';
import type { OpenAIChatCompletionRequest } from '../../protocol/openai/openai-chat-completion-request.js';
import type { OpenAIChatMessage } from '../../protocol/openai/openai-chat-message.js';
import type { OpenAIToolCall } from '../../protocol/openai/openai-tool-call.js';
import { convertToolCallIdToToolUseId } from './convert-tool-call-id-to-tool-use-id.js';
import { UnsupportedFeatureError } from './unsupported-feature-error.js';

/**
 * Thinking budgets for `reasoning_effort`. Anthropic's minimum budget is 1024.
 * LiteLLM uses 1024/2048/4096; these are larger because Anthropic's budget is
 * a ceiling the model rarely exhausts, and 4096 for `high` makes "high" barely
 * deeper than "low" on hard problems. `xhigh` and `max` stop at 32768: larger
 * budgets rarely help and push `max_tokens` past some models' output limit.
 * `none` and `minimal` mean no thinking.
 */
const THINKING_BUDGET_BY_EFFORT: Readonly<Record<string, number>> = {
  low: 1024,
  medium: 4096,
  high: 16384,
  xhigh: 32768,
  max: 32768,
};
const MINIMUM_THINKING_BUDGET = 1024;

/**
 * Anthropic has no "any JSON object" mode, and a structured-output schema
 * cannot express "any object" (its objects are closed), so `json_object` is
 * asked for in words. OpenAI's own `json_object` mode likewise relies on the
 * prompt mentioning JSON.
 */
export const JSON_OBJECT_SYSTEM_HINT =
  'Respond with a single valid JSON object and nothing else: no prose, no Markdown code fences.';

const ALLOWED_IMAGE_MEDIA_TYPES: ReadonlySet<string> = new Set(['image/jpeg', 'image/png', 'image/gif', 'image/webp']);

/** Anthropic rejects these in `metadata.user_id` (it asks for an opaque id). */
const EMAIL_PATTERN = /[^\s@]+@[^\s@]+\.[^\s@]+/;
const PHONE_PATTERN = /^\+?[\d\s().-]{7,}$/;

type Blocks = AnthropicContentBlockParam[];

export interface ConvertedAnthropicRequest {
  request: AnthropicMessagesRequest;
  /** What was changed or dropped on the way, one sentence each, for logs. */
  warnings: string[];
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function readCacheControl(value: unknown): AnthropicCacheControl | undefined {
  return isRecord(value) && value.type === 'ephemeral' ? (value as AnthropicCacheControl) : undefined;
}

function describeRole(role: unknown): string {
  return typeof role === 'string' ? role : JSON.stringify(role);
}

/** `data:<media type>[;params][;base64],<data>`, per RFC 2397. */
function parseDataUri(uri: string): { mediaType: string; base64: string } | undefined {
  if (!uri.startsWith('data:')) return undefined;
  const comma = uri.indexOf(',');
  if (comma === -1) return undefined;
  const meta = uri.slice(5, comma).split(';');
  const mediaType = (meta[0] ?? '').trim().toLowerCase();
  const payload = uri.slice(comma + 1);
  const isBase64 = meta.slice(1).some((parameter) => parameter.trim().toLowerCase() === 'base64');
  const base64 = isBase64 ? payload : Buffer.from(decodeURIComponent(payload), 'utf8').toString('base64');
  return { mediaType, base64 };
}

function normalizeImageMediaType(mediaType: string): string {
  // A common client mistake; the bytes are JPEG either way.
  return mediaType === 'image/jpg' ? 'image/jpeg' : mediaType;
}

function createImageBlock(url: string): AnthropicImageBlockParam {
  const dataUri = parseDataUri(url);
  if (dataUri !== undefined) {
    const mediaType = normalizeImageMediaType(dataUri.mediaType);
    if (!ALLOWED_IMAGE_MEDIA_TYPES.has(mediaType)) {
      throw new UnsupportedFeatureError({
        feature: `image media type "${dataUri.mediaType}"`,
        message: `Image media type "${dataUri.mediaType}" is not supported by this model's upstream; use image/jpeg, image/png, image/gif or image/webp.`,
      });
    }
    return { type: 'image', source: { type: 'base64', media_type: mediaType as AnthropicImageMediaType, data: dataUri.base64 } };
  }
  if (/^https?:\/\//i.test(url)) return { type: 'image', source: { type: 'url', url } };
  throw new UnsupportedFeatureError({
    feature: 'image_url scheme',
    message: `image_url.url must be an http(s) URL or a base64 data URI; got "${url.slice(0, 40)}".`,
  });
}

/**
 * A `file` part. Anthropic takes PDFs and plain text as documents (and images
 * as images); OpenAI file ids mean nothing to it.
 */
function createFileBlock(file: unknown): AnthropicDocumentBlockParam | AnthropicImageBlockParam {
  const fields = isRecord(file) ? file : {};
  const filename = typeof fields.filename === 'string' && fields.filename !== '' ? fields.filename : undefined;
  const fileData = typeof fields.file_data === 'string' ? fields.file_data : undefined;
  if (fileData === undefined) {
    throw new UnsupportedFeatureError({
      feature: 'file_id',
      message: 'File parts must carry file_data; OpenAI file ids cannot be read by this model\'s upstream.',
    });
  }
  let dataUri = parseDataUri(fileData);
  // Some clients send bare base64. "JVBER" is base64 for "%PDF".
  if (dataUri === undefined && (fileData.startsWith('JVBER') || filename?.toLowerCase().endsWith('.pdf') === true)) {
    dataUri = { mediaType: 'application/pdf', base64: fileData };
  }
  const title = filename === undefined ? {} : { title: filename };
  if (dataUri?.mediaType === 'application/pdf') {
    return { type: 'document', source: { type: 'base64', media_type: 'application/pdf', data: dataUri.base64 }, ...title };
  }
  if (dataUri?.mediaType === 'text/plain') {
    const text = Buffer.from(dataUri.base64, 'base64').toString('utf8');
    return { type: 'document', source: { type: 'text', media_type: 'text/plain', data: text }, ...title };
  }
  if (dataUri !== undefined && dataUri.mediaType.startsWith('image/')) {
    return createImageBlock(`data:${dataUri.mediaType};base64,${dataUri.base64}`);
  }
  throw new UnsupportedFeatureError({
    feature: `file media type "${dataUri?.mediaType ?? 'unknown'}"`,
    message: `File parts of type "${dataUri?.mediaType ?? 'unknown'}" are not supported by this model's upstream; send PDF or plain text.`,
  });
}

/** Whitespace-only text is rejected by Anthropic ("text content blocks must contain non-whitespace text") and says nothing. */
function createTextBlock(text: unknown, cacheControl?: unknown): AnthropicTextBlockParam | undefined {
  if (typeof text !== 'string' || text.trim() === '') return undefined;
  const block: AnthropicTextBlockParam = { type: 'text', text };
  const cache = readCacheControl(cacheControl);
  if (cache !== undefined) block.cache_control = cache;
  return block;
}

/**
 * One part of user (or tool) content. Parts may carry Anthropic-style
 * `cache_control` (the LiteLLM/OpenRouter convention for prompt caching
 * through the OpenAI format); it is kept, since dropping it silently makes
 * every turn bill as uncached input.
 */
function convertUserPart(part: unknown): AnthropicContentBlockParam | undefined {
  if (!isRecord(part)) throw new UnsupportedFeatureError({ feature: 'content part', message: 'Content parts must be objects.' });
  let block: AnthropicContentBlockParam | undefined;
  switch (part.type) {
    case 'text':
      return createTextBlock(part.text, part.cache_control);
    case 'refusal':
      return createTextBlock(part.refusal, part.cache_control);
    case 'image_url': {
      // Some clients send the URL as a plain string.
      const url = typeof part.image_url === 'string' ? part.image_url : isRecord(part.image_url) ? part.image_url.url : undefined;
      if (typeof url !== 'string') throw new UnsupportedFeatureError({ feature: 'image_url', message: 'image_url.url must be a string.' });
      block = createImageBlock(url);
      break;
    }
    case 'file':
      block = createFileBlock(part.file);
      break;
    case 'input_audio':
      throw new UnsupportedFeatureError({
        feature: 'input_audio',
        message: 'Audio input (input_audio content parts) is not supported by this model\'s upstream.',
      });
    default:
      throw new UnsupportedFeatureError({
        feature: `content part type "${String(part.type)}"`,
        message: `Content part type "${String(part.type)}" is not supported by this model's upstream.`,
      });
  }
  const cache = readCacheControl(part.cache_control);
  if (cache !== undefined) block.cache_control = cache;
  return block;
}

function convertSystemContent(content: unknown, role: string): AnthropicTextBlockParam[] {
  if (typeof content === 'string') {
    const block = createTextBlock(content);
    return block === undefined ? [] : [block];
  }
  if (!Array.isArray(content)) return [];
  const blocks: AnthropicTextBlockParam[] = [];
  for (const part of content) {
    if (!isRecord(part) || part.type !== 'text') {
      throw new UnsupportedFeatureError({
        feature: `non-text ${role} content`,
        message: `${role} messages may only contain text parts.`,
      });
    }
    const block = createTextBlock(part.text, part.cache_control);
    if (block !== undefined) blocks.push(block);
  }
  return blocks;
}

function convertUserContent(content: unknown): Blocks {
  if (typeof content === 'string') {
    const block = createTextBlock(content);
    return block === undefined ? [] : [block];
  }
  if (!Array.isArray(content)) return [];
  const blocks: Blocks = [];
  for (const part of content) {
    const block = convertUserPart(part);
    if (block !== undefined) blocks.push(block);
  }
  return blocks;
}

/** A message-level `cache_control` (LiteLLM convention) marks the message's last block. */
function applyMessageCacheControl(blocks: Blocks, message: Record<string, unknown>): void {
  const cache = readCacheControl(message.cache_control);
  const last = blocks.at(-1);
  if (cache !== undefined && last !== undefined) last.cache_control = cache;
}

/**
 * Moves tool_result blocks to the front, keeping order otherwise. Anthropic
 * requires them first in the user message that answers a tool_use, and
 * merging a `tool` message with the user text that follows (or precedes) it
 * puts both in one message.
 * @see ../../../../shared/protocol/anthropic-protocol.md §1.2
 */
function putToolResultsFirst(blocks: Blocks): Blocks {
  const results = blocks.filter((block) => block.type === 'tool_result');
  if (results.length === 0 || results.length === blocks.length) return blocks;
  return [...results, ...blocks.filter((block) => block.type !== 'tool_result')];
}

/**
 * Converts a Chat Completions request into a Messages request for an
 * Anthropic upstream (serving `/v1/chat/completions` from Claude).
 *
 * Messages:
 * - `system`/`developer` messages, wherever they are, become `system` text
 *   blocks in order (kept separate, not joined, so per-part `cache_control`
 *   survives; Anthropic's own compat layer joins them with "\n").
 * - User text, images (base64 data URIs of jpeg/png/gif/webp, or http(s)
 *   URLs) and `file` parts (PDF or plain text → document). Audio and other
 *   image types throw {@link UnsupportedFeatureError}.
 * - Assistant text, refusals (as text: it is what the model said) and
 *   `tool_calls`/legacy `function_call` → `tool_use` (arguments parsed;
 *   invalid JSON becomes `{}` with a warning, ids made Anthropic-valid with
 *   {@link convertToolCallIdToToolUseId}). `reasoning_content`/`reasoning`
 *   is dropped: thinking cannot be replayed to Anthropic without the
 *   signature only Anthropic issues (§7.3).
 * - `tool`/`function` messages become `tool_result` blocks in a user
 *   message; consecutive same-role messages are merged (tool results first).
 * - Empty and whitespace-only text never reaches the upstream; the text of
 *   a final assistant message (prefill) loses trailing whitespace, which
 *   Anthropic rejects there.
 * - `name` on messages is ignored, as Anthropic's compat layer does.
 *
 * Parameters: see the inline notes. Anything dropped or changed adds a
 * warning; nothing that changes the answer is dropped silently.
 * @see ../../../../shared/protocol/anthropic-protocol.md §7.1
 */
export function convertOpenAIRequestToAnthropic(options: {
  request: OpenAIChatCompletionRequest;
  upstreamModel: string;
  defaultMaxTokens: number;
}): ConvertedAnthropicRequest {
  const { request, upstreamModel, defaultMaxTokens } = options;
  const warnings: string[] = [];

  if (!Array.isArray(request.messages)) {
    throw new GatewayError({ status: 400, type: 'invalid_request_error', message: 'messages: Input should be a valid list' });
  }
  if (typeof request.n === 'number' && request.n > 1) {
    throw new UnsupportedFeatureError({ feature: 'n', message: 'n > 1 (several choices) is not supported by this model\'s upstream.' });
  }

  // --- messages ---------------------------------------------------------
  const system: AnthropicTextBlockParam[] = [];
  const messages: Array<{ role: 'user' | 'assistant'; content: Blocks }> = [];
  let droppedReasoning = false;
  // Legacy `function_call`s have no ids; the `function` message answering one
  // is matched to the oldest unanswered call.
  const unansweredLegacyCalls: string[] = [];
  let legacyCallCount = 0;

  function append(role: 'user' | 'assistant', blocks: Blocks): void {
    if (blocks.length === 0) return;
    const last = messages.at(-1);
    if (last !== undefined && last.role === role) last.content.push(...blocks);
    else messages.push({ role, content: blocks });
  }

  function parseArguments(text: unknown, toolName: string): Record<string, unknown> {
    if (typeof text !== 'string' || text.trim() === '') return {};
    try {
      const parsed: unknown = JSON.parse(text);
      if (isRecord(parsed)) return parsed;
      warnings.push(`Arguments of a "${toolName}" tool call are not a JSON object; sent as {}.`);
    } catch {
      warnings.push(`Arguments of a "${toolName}" tool call are not valid JSON; sent as {}.`);
    }
    return {};
  }

  function convertToolCall(call: OpenAIToolCall): AnthropicToolUseBlockParam {
    if (call.type !== undefined && call.type !== 'function') {
      throw new UnsupportedFeatureError({
        feature: `tool call type "${String(call.type)}"`,
        message: `Tool calls of type "${String(call.type)}" are not supported by this model's upstream.`,
      });
    }
    const name = typeof call.function?.name === 'string' ? call.function.name : '';
    return {
      type: 'tool_use',
      id: convertToolCallIdToToolUseId(typeof call.id === 'string' ? call.id : ''),
      name,
      input: parseArguments(call.function?.arguments, name),
    };
  }

  function convertToolResultContent(content: unknown): AnthropicToolResultBlockParam['content'] {
    if (typeof content === 'string') return content === '' ? undefined : content;
    const blocks = convertUserContent(content);
    return blocks.length === 0 ? undefined : (blocks as Exclude<AnthropicToolResultBlockParam['content'], string | undefined>);
  }

  for (const message of request.messages as Array<OpenAIChatMessage & Record<string, unknown>>) {
    if (!isRecord(message)) throw new UnsupportedFeatureError({ feature: 'message', message: 'Messages must be objects.' });
    switch (message.role) {
      case 'system':
      case 'developer':
        system.push(...convertSystemContent(message.content, message.role));
        break;
      case 'user': {
        const blocks = convertUserContent(message.content);
        applyMessageCacheControl(blocks, message);
        append('user', blocks);
        break;
      }
      case 'assistant': {
        const blocks: Blocks = [];
        if (typeof message.content === 'string') {
          const block = createTextBlock(message.content);
          if (block !== undefined) blocks.push(block);
        } else if (Array.isArray(message.content)) {
          for (const part of message.content as unknown[]) {
            if (!isRecord(part)) continue;
            const block = part.type === 'refusal' ? createTextBlock(part.refusal) : createTextBlock(part.text, part.cache_control);
            if (block !== undefined) blocks.push(block);
          }
        }
        const refusal = createTextBlock(message.refusal);
        if (refusal !== undefined) blocks.push(refusal);
        for (const call of message.tool_calls ?? []) blocks.push(convertToolCall(call));
        if (isRecord(message.function_call)) {
          const id = `call_legacy_${legacyCallCount++}`;
          unansweredLegacyCalls.push(id);
          blocks.push(convertToolCall({ id, type: 'function', function: message.function_call as OpenAIToolCall['function'] }));
        }
        const reasoning = message.reasoning_content ?? message.reasoning;
        if (typeof reasoning === 'string' && reasoning !== '') droppedReasoning = true;
        applyMessageCacheControl(blocks, message);
        append('assistant', blocks);
        break;
      }
      case 'tool': {
        const toolCallId = typeof message.tool_call_id === 'string' ? message.tool_call_id : '';
        const result: AnthropicToolResultBlockParam = { type: 'tool_result', tool_use_id: convertToolCallIdToToolUseId(toolCallId) };
        const content = convertToolResultContent(message.content);
        if (content !== undefined) result.content = content;
        append('user', [result]);
        break;
      }
      case 'function': {
        const id = unansweredLegacyCalls.shift() ?? `call_legacy_${legacyCallCount++}`;
        const result: AnthropicToolResultBlockParam = { type: 'tool_result', tool_use_id: id };
        const content = convertToolResultContent(message.content);
        if (content !== undefined) result.content = content;
        append('user', [result]);
        break;
      }
      default:
        throw new UnsupportedFeatureError({
          feature: `message role "${describeRole((message as { role?: unknown }).role)}"`,
          message: `Message role "${describeRole((message as { role?: unknown }).role)}" is not supported.`,
        });
    }
  }
  if (droppedReasoning) {
    warnings.push('reasoning_content on assistant messages was dropped: unsigned thinking cannot be replayed to Anthropic.');
  }

  const anthropicMessages: AnthropicMessageParam[] = messages.map((message) => ({
    role: message.role,
    content: message.role === 'user' ? putToolResultsFirst(message.content) : message.content,
  }));
  const lastMessage = messages.at(-1);
  const endsWithPrefill = lastMessage?.role === 'assistant';
  if (endsWithPrefill) {
    const lastBlock = lastMessage.content.at(-1);
    if (lastBlock?.type === 'text') {
      lastBlock.text = (lastBlock as AnthropicTextBlockParam).text.trimEnd();
    }
  }

  // --- tools ------------------------------------------------------------
  const tools: AnthropicCustomTool[] = [];
  for (const tool of request.tools ?? []) {
    if (!isRecord(tool) || tool.type !== 'function' || !isRecord(tool.function)) {
      const type = isRecord(tool) ? String(tool.type) : typeof tool;
      throw new UnsupportedFeatureError({
        feature: `tool type "${type}"`,
        message: `Tools of type "${type}" are not supported by this model's upstream; only function tools are.`,
      });
    }
    tools.push(convertFunctionDefinition(tool.function));
  }
  for (const definition of request.functions ?? []) tools.push(convertFunctionDefinition(definition));

  let toolChoice: AnthropicToolChoice | undefined;
  const requestedChoice = request.tool_choice ?? convertLegacyFunctionCallChoice(request.function_call);
  if (requestedChoice !== undefined && requestedChoice !== null) {
    if (tools.length === 0) {
      // Anthropic rejects tool_choice without tools; without tools it means nothing anyway.
      if (requestedChoice !== 'none' && requestedChoice !== 'auto') {
        warnings.push('tool_choice was dropped because the request has no tools.');
      }
    } else if (requestedChoice === 'auto') toolChoice = { type: 'auto' };
    else if (requestedChoice === 'required') toolChoice = { type: 'any' };
    else if (requestedChoice === 'none') toolChoice = { type: 'none' };
    else if (isRecord(requestedChoice) && isRecord(requestedChoice.function) && typeof requestedChoice.function.name === 'string') {
      toolChoice = { type: 'tool', name: requestedChoice.function.name };
    } else {
      throw new UnsupportedFeatureError({
        feature: 'tool_choice',
        message: `tool_choice ${JSON.stringify(requestedChoice)} is not supported by this model's upstream.`,
      });
    }
  }
  if (request.parallel_tool_calls === false && tools.length > 0 && toolChoice?.type !== 'none') {
    toolChoice = { ...(toolChoice ?? { type: 'auto' }), disable_parallel_tool_use: true } as AnthropicToolChoice;
  }

  // --- sampling and limits ------------------------------------------------
  let maxTokens = request.max_completion_tokens ?? request.max_tokens ?? defaultMaxTokens;
  let temperature = typeof request.temperature === 'number' ? request.temperature : undefined;
  if (temperature !== undefined && (temperature < 0 || temperature > 1)) {
    // Anthropic's range is [0, 1]; its compat layer caps values above 1 the same way.
    const clamped = Math.min(Math.max(temperature, 0), 1);
    warnings.push(`temperature ${temperature} was clamped to ${clamped} (Anthropic accepts 0 to 1).`);
    temperature = clamped;
  }
  let topP = typeof request.top_p === 'number' ? request.top_p : undefined;
  let topK = typeof request.top_k === 'number' ? request.top_k : undefined;

  let stopSequences: string[] | undefined;
  if (request.stop !== undefined && request.stop !== null) {
    const stops = typeof request.stop === 'string' ? [request.stop] : request.stop;
    // Anthropic rejects whitespace-only stop sequences.
    stopSequences = stops.filter((stop) => typeof stop === 'string' && stop.trim() !== '');
    if (stopSequences.length < stops.length) warnings.push('Whitespace-only stop sequences were dropped (Anthropic rejects them).');
    if (stopSequences.length === 0) stopSequences = undefined;
  }

  // --- thinking -----------------------------------------------------------
  let thinking = resolveThinking(request, warnings);
  if (thinking !== undefined && thinking.type !== 'disabled') {
    if (toolChoice?.type === 'any' || toolChoice?.type === 'tool') {
      warnings.push('Thinking was not enabled: Anthropic does not allow it together with a forced tool_choice.');
      thinking = undefined;
    } else if (endsWithPrefill) {
      warnings.push('Thinking was not enabled: Anthropic does not allow it when the last message is from the assistant (prefill).');
      thinking = undefined;
    }
  }
  if (thinking?.type === 'enabled') {
    if (thinking.budget_tokens >= maxTokens) {
      // OpenAI's limit counts reasoning too, but Anthropic needs budget < max_tokens and a budget of
      // at least 1024; raising max_tokens by the budget keeps the room the client gave the answer.
      const raised = thinking.budget_tokens + maxTokens;
      warnings.push(`max_tokens was raised from ${maxTokens} to ${raised} to make room for a thinking budget of ${thinking.budget_tokens}.`);
      maxTokens = raised;
    }
  }
  if (thinking !== undefined && thinking.type !== 'disabled') {
    if (temperature !== undefined && temperature !== 1) {
      warnings.push('temperature was dropped: Anthropic does not allow it with thinking.');
      temperature = undefined;
    }
    if (topP !== undefined && topP < 0.95) {
      warnings.push('top_p was dropped: Anthropic allows only 0.95 to 1 with thinking.');
      topP = undefined;
    }
    if (topK !== undefined) {
      warnings.push('top_k was dropped: Anthropic does not allow it with thinking.');
      topK = undefined;
    }
  }

  // --- output format --------------------------------------------------------
  let outputConfig: AnthropicOutputConfig | undefined;
  const responseFormat = request.response_format as { type?: unknown; json_schema?: { schema?: unknown } } | undefined | null;
  if (isRecord(responseFormat)) {
    if (responseFormat.type === 'json_schema' && isRecord(responseFormat.json_schema?.schema)) {
      outputConfig = { format: { type: 'json_schema', schema: responseFormat.json_schema.schema } };
    } else if (responseFormat.type === 'json_schema' || responseFormat.type === 'json_object') {
      system.push({ type: 'text', text: JSON_OBJECT_SYSTEM_HINT });
      warnings.push(`response_format ${String(responseFormat.type)} has no schema; JSON output was requested through a system instruction instead.`);
    } else if (responseFormat.type !== 'text') {
      warnings.push(`response_format ${JSON.stringify(responseFormat.type)} is not supported and was ignored.`);
    }
  }
  if (thinking?.type === 'adaptive') {
    const effort = request.reasoning_effort ?? request.reasoning?.effort;
    if (effort === 'low' || effort === 'medium' || effort === 'high' || effort === 'xhigh' || effort === 'max') {
      outputConfig = { ...outputConfig, effort };
    }
  }

  // --- metadata -----------------------------------------------------------
  let userId: string | undefined;
  const user = request.safety_identifier ?? request.user;
  if (typeof user === 'string' && user !== '') {
    if (EMAIL_PATTERN.test(user) || PHONE_PATTERN.test(user)) {
      warnings.push('user was not forwarded as metadata.user_id: it looks like an email address or phone number, which Anthropic rejects.');
    } else userId = user;
  }

  warnIgnored(request, warnings);

  const anthropicRequest: AnthropicMessagesRequest = { model: upstreamModel, max_tokens: maxTokens, messages: anthropicMessages };
  if (system.length > 0) anthropicRequest.system = system;
  if (tools.length > 0) anthropicRequest.tools = tools;
  if (toolChoice !== undefined) anthropicRequest.tool_choice = toolChoice;
  if (thinking !== undefined) anthropicRequest.thinking = thinking;
  if (outputConfig !== undefined) anthropicRequest.output_config = outputConfig;
  if (stopSequences !== undefined) anthropicRequest.stop_sequences = stopSequences;
  if (temperature !== undefined) anthropicRequest.temperature = temperature;
  if (topP !== undefined) anthropicRequest.top_p = topP;
  if (topK !== undefined) anthropicRequest.top_k = topK;
  if (userId !== undefined) anthropicRequest.metadata = { user_id: userId };
  if (request.stream === true) anthropicRequest.stream = true;
  return { request: anthropicRequest, warnings };
}

/**
 * `parameters` becomes `input_schema`, which Anthropic requires to be an
 * object schema; a tool without parameters takes an empty object.
 */
function convertFunctionDefinition(definition: unknown): AnthropicCustomTool {
  const fields = isRecord(definition) ? definition : {};
  const name = typeof fields.name === 'string' ? fields.name : '';
  const parameters = fields.parameters;
  let inputSchema: AnthropicCustomTool['input_schema'];
  if (!isRecord(parameters) || Object.keys(parameters).length === 0) {
    inputSchema = { type: 'object', properties: {} };
  } else if (parameters.type === undefined || parameters.type === 'object') {
    inputSchema = { ...parameters, type: 'object' };
  } else {
    throw new UnsupportedFeatureError({
      feature: 'non-object tool parameters',
      message: `The parameters of tool "${name}" must be a JSON Schema of type "object".`,
    });
  }
  const tool: AnthropicCustomTool = { name, input_schema: inputSchema };
  if (typeof fields.description === 'string' && fields.description !== '') tool.description = fields.description;
  // Anthropic's `strict` means the same as OpenAI's (inputs follow the schema exactly).
  if (fields.strict === true) tool.strict = true;
  return tool;
}

function convertLegacyFunctionCallChoice(choice: OpenAIChatCompletionRequest['function_call']): OpenAIChatCompletionRequest['tool_choice'] {
  if (choice === undefined) return undefined;
  if (choice === 'none' || choice === 'auto') return choice;
  return { type: 'function', function: { name: choice.name } };
}

/**
 * The thinking config, from (first match wins) an Anthropic-shaped `thinking`
 * field (the OpenAI SDK's `extra_body`, which Anthropic's compat layer also
 * honours), `reasoning_effort`, or OpenRouter's `reasoning` object.
 */
function resolveThinking(request: OpenAIChatCompletionRequest, warnings: string[]): AnthropicThinkingConfig | undefined {
  const effort = request.reasoning_effort ?? request.reasoning?.effort ?? undefined;
  const effortBudget = effort === undefined ? undefined : THINKING_BUDGET_BY_EFFORT[effort];
  const extra = request.thinking as unknown;
  if (isRecord(extra)) {
    if (extra.type === 'disabled') return { type: 'disabled' };
    if (extra.type === 'adaptive') return { type: 'adaptive' };
    if (extra.type === 'enabled') {
      const budget = typeof extra.budget_tokens === 'number' ? extra.budget_tokens : (effortBudget ?? THINKING_BUDGET_BY_EFFORT.medium!);
      return { type: 'enabled', budget_tokens: Math.max(Math.floor(budget), MINIMUM_THINKING_BUDGET) };
    }
  }
  if (request.reasoning?.enabled === false || effort === 'none' || effort === 'minimal') return undefined;
  const requestedBudget = request.reasoning?.max_tokens;
  if (typeof requestedBudget === 'number') {
    if (requestedBudget < MINIMUM_THINKING_BUDGET) warnings.push(`The reasoning budget was raised to Anthropic's minimum of ${MINIMUM_THINKING_BUDGET}.`);
    return { type: 'enabled', budget_tokens: Math.max(Math.floor(requestedBudget), MINIMUM_THINKING_BUDGET) };
  }
  if (effortBudget !== undefined) return { type: 'enabled', budget_tokens: effortBudget };
  if (effort !== undefined) warnings.push(`reasoning_effort ${JSON.stringify(effort)} is unknown and was ignored.`);
  else if (request.reasoning?.enabled === true) return { type: 'enabled', budget_tokens: THINKING_BUDGET_BY_EFFORT.medium! };
  return undefined;
}

/** Fields with no Anthropic equivalent that would change the answer if honoured. */
function warnIgnored(request: OpenAIChatCompletionRequest, warnings: string[]): void {
  const ignored: string[] = [];
  if (request.logprobs === true || typeof request.top_logprobs === 'number') ignored.push('logprobs');
  if (typeof request.seed === 'number') ignored.push('seed');
  if (typeof request.presence_penalty === 'number' && request.presence_penalty !== 0) ignored.push('presence_penalty');
  if (typeof request.frequency_penalty === 'number' && request.frequency_penalty !== 0) ignored.push('frequency_penalty');
  if (isRecord(request.logit_bias) && Object.keys(request.logit_bias).length > 0) ignored.push('logit_bias');
  if (request.audio !== undefined && request.audio !== null) ignored.push('audio');
  if (Array.isArray(request.modalities) && request.modalities.includes('audio')) ignored.push('modalities');
  if (request.prediction !== undefined && request.prediction !== null) ignored.push('prediction');
  if (request.web_search_options !== undefined && request.web_search_options !== null) ignored.push('web_search_options');
  if (ignored.length > 0) warnings.push(`Ignored (no Anthropic equivalent): ${ignored.join(', ')}.`);
}

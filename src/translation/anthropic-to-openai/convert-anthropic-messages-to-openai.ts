import type {
  AnthropicContentBlockParam,
  AnthropicDocumentBlockParam,
  AnthropicImageBlockParam,
  AnthropicSearchResultBlockParam,
  AnthropicTextBlockParam,
  AnthropicToolResultBlockParam,
} from '../../protocol/anthropic/anthropic-content-block-param.js';
import type { AnthropicMessageParam } from '../../protocol/anthropic/anthropic-message-param.js';
import type {
  OpenAIAssistantMessage,
  OpenAIChatMessage,
  OpenAIToolMessage,
} from '../../protocol/openai/openai-chat-message.js';
import type {
  OpenAIContentPart,
  OpenAIFileContentPart,
  OpenAIImageUrlContentPart,
  OpenAITextContentPart,
} from '../../protocol/openai/openai-content-part.js';
import type { OpenAIToolCall } from '../../protocol/openai/openai-tool-call.js';
import type { ToolNameMap } from '../tool-name/tool-name-map.js';
import type { ReasoningDialect } from './reasoning-dialect.js';
import { UnsupportedFeatureError } from './unsupported-feature-error.js';

export interface ConvertedMessages {
  messages: OpenAIChatMessage[];
  warnings: string[];
}

/**
 * Claude Code's first system block carries its billing attribution
 * (`x-anthropic-billing-header: cc_version=…`). api.anthropic.com strips it
 * before the model sees the prompt; another upstream would feed it to the
 * model as instructions, so it is dropped here too.
 * @see ../../../../shared/protocol/anthropic-protocol.md §8 "System prompt"
 */
const ATTRIBUTION_BLOCK_PREFIX = 'x-anthropic-billing-header:';

/**
 * How separate text blocks of one system prompt (or one tool result) are
 * joined into a single string. Strings, not text-part arrays, because many
 * OpenAI-compatible servers (DeepSeek, Ollama, older vLLM chat templates)
 * accept only string content for system and tool messages; a blank line keeps
 * the blocks apart as paragraphs.
 */
const BLOCK_SEPARATOR = '\n\n';

function toDataUri(mediaType: string, data: string): string {
  return `data:${mediaType};base64,${data}`;
}

function blockType(block: { type?: unknown }): string {
  return typeof block.type === 'string' ? block.type : String(block.type);
}

function convertImage(block: AnthropicImageBlockParam): OpenAIImageUrlContentPart {
  const source = block.source;
  switch (source.type) {
    case 'base64':
      return { type: 'image_url', image_url: { url: toDataUri(source.media_type, source.data) } };
    case 'url':
      return { type: 'image_url', image_url: { url: source.url } };
    default:
      throw new UnsupportedFeatureError({
        feature: `image source type "${blockType(source)}"`,
        detail: 'only base64 and url images can be sent to an OpenAI-compatible upstream',
      });
  }
}

/** Title and context lead the document's text, the way a reader would see them on a cover page. */
function withDocumentHeading(block: AnthropicDocumentBlockParam, text: string): string {
  return [block.title, block.context, text].filter((part): part is string => typeof part === 'string' && part !== '').join(BLOCK_SEPARATOR);
}

function convertDocument(block: AnthropicDocumentBlockParam, warnings: string[]): OpenAIContentPart[] {
  if (block.citations?.enabled === true) {
    warnings.push('document citations were dropped: OpenAI-compatible upstreams cannot cite');
  }
  const source = block.source;
  switch (source.type) {
    case 'base64': {
      const mediaType: unknown = source.media_type;
      if (mediaType !== 'application/pdf') {
        throw new UnsupportedFeatureError({ feature: `document media type "${String(mediaType)}"` });
      }
      const title = typeof block.title === 'string' && block.title !== '' ? block.title : 'document';
      const part: OpenAIFileContentPart = {
        type: 'file',
        // OpenAI wants the data-URI form in file_data, and a filename with it.
        file: { filename: title.toLowerCase().endsWith('.pdf') ? title : `${title}.pdf`, file_data: toDataUri(source.media_type, source.data) },
      };
      return [part];
    }
    case 'text':
      return [{ type: 'text', text: withDocumentHeading(block, source.data) }];
    case 'content': {
      if (typeof source.content === 'string') return [{ type: 'text', text: withDocumentHeading(block, source.content) }];
      const parts: OpenAIContentPart[] = [];
      const heading = withDocumentHeading(block, '');
      if (heading !== '') parts.push({ type: 'text', text: heading });
      for (const inner of source.content) {
        if (inner.type === 'text') parts.push({ type: 'text', text: inner.text });
        else if (inner.type === 'image') parts.push(convertImage(inner));
        else throw new UnsupportedFeatureError({ feature: `document content block "${blockType(inner)}"` });
      }
      return parts;
    }
    default:
      // A url document would have to be fetched by the gateway (an SSRF
      // vector), and a Files API id only means something to Anthropic.
      throw new UnsupportedFeatureError({
        feature: `document source type "${blockType(source)}"`,
        detail: 'only base64 PDF, text and content documents can be sent to an OpenAI-compatible upstream',
      });
  }
}

/**
 * A search result becomes plain text: OpenAI has no block for it, and the
 * model can still use what it says. What is lost is the ability to cite it,
 * which no OpenAI-compatible upstream has.
 */
function convertSearchResult(block: AnthropicSearchResultBlockParam, warnings: string[]): OpenAITextContentPart {
  if (block.citations?.enabled === true) {
    warnings.push('search_result citations were dropped: OpenAI-compatible upstreams cannot cite');
  }
  const body = block.content.map((inner) => inner.text).join(BLOCK_SEPARATOR);
  return { type: 'text', text: `${block.title}\nSource: ${block.source}${body === '' ? '' : BLOCK_SEPARATOR + body}` };
}

/**
 * One `tool_result` block → one `role: "tool"` message.
 *
 * OpenAI tool messages take text only, so images and PDFs a tool returned
 * (Claude Code's Read tool returns images) come back as `attachments`, which
 * the caller puts into the user message that follows the tool messages; the
 * tool message says where they went.
 *
 * `is_error` has no OpenAI field; the text is prefixed with "Error: " so the
 * model still learns the call failed (LiteLLM does the same).
 */
function convertToolResult(
  block: AnthropicToolResultBlockParam,
  warnings: string[],
): { message: OpenAIToolMessage; attachments: OpenAIContentPart[] } {
  const texts: string[] = [];
  const attachments: OpenAIContentPart[] = [];
  const content = block.content;
  if (typeof content === 'string') {
    texts.push(content);
  } else if (content !== undefined) {
    for (const inner of content) {
      switch (inner.type) {
        case 'text':
          texts.push((inner as AnthropicTextBlockParam).text);
          break;
        case 'image':
          attachments.push(convertImage(inner as AnthropicImageBlockParam));
          break;
        case 'search_result':
          texts.push(convertSearchResult(inner as AnthropicSearchResultBlockParam, warnings).text);
          break;
        case 'document':
          for (const part of convertDocument(inner as AnthropicDocumentBlockParam, warnings)) {
            if (part.type === 'text') texts.push(part.text);
            else attachments.push(part);
          }
          break;
        default:
          throw new UnsupportedFeatureError({ feature: `tool_result content block "${blockType(inner)}"` });
      }
    }
  }
  if (attachments.length > 0) {
    texts.push(`(${attachments.length} attachment${attachments.length === 1 ? '' : 's'} of this tool result follow${attachments.length === 1 ? 's' : ''} in the next user message.)`);
  }
  let text = texts.join(BLOCK_SEPARATOR);
  if (block.is_error === true) text = text === '' ? 'Error' : `Error: ${text}`;
  return { message: { role: 'tool', tool_call_id: block.tool_use_id, content: text }, attachments };
}

function systemText(content: string | AnthropicContentBlockParam[], where: string): string {
  if (typeof content === 'string') return content;
  return content
    .map((block) => {
      if (block.type !== 'text') throw new UnsupportedFeatureError({ feature: `content block "${blockType(block)}" in ${where}` });
      return block.text;
    })
    .join(BLOCK_SEPARATOR);
}

/**
 * Tool messages must directly follow the assistant message whose tool_calls
 * they answer (OpenAI 400s otherwise). A mid-conversation system message may
 * sit between the two in Anthropic's history, so tool messages are inserted
 * before any system messages that trail that assistant message.
 */
function appendToolMessages(messages: OpenAIChatMessage[], toolMessages: OpenAIToolMessage[]): void {
  let at = messages.length;
  while (at > 0 && messages[at - 1]?.role === 'system') at--;
  const before = messages[at - 1];
  if (at === messages.length || before === undefined || !(before.role === 'tool' || (before.role === 'assistant' && before.tool_calls !== undefined))) {
    messages.push(...toolMessages);
    return;
  }
  messages.splice(at, 0, ...toolMessages);
}

function convertUserMessage(
  message: AnthropicMessageParam,
  messages: OpenAIChatMessage[],
  warnings: string[],
): void {
  if (typeof message.content === 'string') {
    messages.push({ role: 'user', content: message.content });
    return;
  }
  const toolMessages: OpenAIToolMessage[] = [];
  const attachments: OpenAIContentPart[] = [];
  const parts: OpenAIContentPart[] = [];
  for (const block of message.content) {
    switch (block.type) {
      case 'text':
        parts.push({ type: 'text', text: block.text });
        break;
      case 'image':
        parts.push(convertImage(block));
        break;
      case 'document':
        parts.push(...convertDocument(block, warnings));
        break;
      case 'search_result':
        parts.push(convertSearchResult(block, warnings));
        break;
      case 'tool_result': {
        const converted = convertToolResult(block, warnings);
        toolMessages.push(converted.message);
        attachments.push(...converted.attachments);
        break;
      }
      default:
        throw new UnsupportedFeatureError({ feature: `content block "${blockType(block)}" in a user message` });
    }
  }
  // Tool results go first whatever their position: Anthropic requires them
  // first anyway, and OpenAI requires them right after the tool calls.
  if (toolMessages.length > 0) appendToolMessages(messages, toolMessages);
  const userParts = [...attachments, ...parts];
  if (userParts.length === 0) return;
  const only = userParts[0];
  // A lone text part is sent as a plain string, the form every compatible
  // server accepts; several parts keep their boundaries.
  messages.push({ role: 'user', content: userParts.length === 1 && only?.type === 'text' ? only.text : userParts });
}

function convertAssistantMessage(
  message: AnthropicMessageParam,
  options: { toolNames: ToolNameMap; reasoning: ReasoningDialect },
): OpenAIAssistantMessage {
  if (typeof message.content === 'string') return { role: 'assistant', content: message.content };
  const texts: string[] = [];
  const thinking: string[] = [];
  const toolCalls: OpenAIToolCall[] = [];
  for (const block of message.content) {
    switch (block.type) {
      case 'text':
        texts.push(block.text);
        break;
      case 'tool_use':
        toolCalls.push({
          id: block.id,
          type: 'function',
          function: { name: options.toolNames.toUpstream(block.name), arguments: JSON.stringify(block.input ?? {}) },
        });
        break;
      case 'thinking':
        thinking.push(block.thinking);
        break;
      case 'redacted_thinking':
        // Encrypted for Anthropic only; no upstream here can read it.
        break;
      default:
        // server_tool_use and *_tool_result echoes describe work Anthropic's
        // servers did; replaying them to another model would misrepresent
        // the conversation. Images and documents cannot be assistant content.
        throw new UnsupportedFeatureError({ feature: `content block "${blockType(block)}" in an assistant message` });
    }
  }
  // Text blocks are joined with nothing between them: a cited answer arrives
  // as many text blocks that together form one text, which is also what an
  // OpenAI client saw streamed.
  const assistant: OpenAIAssistantMessage = {
    role: 'assistant',
    content: texts.length > 0 ? texts.join('') : toolCalls.length > 0 ? null : '',
  };
  if (toolCalls.length > 0) assistant.tool_calls = toolCalls;
  // DeepSeek 400s ("Missing reasoning_content field") on a tool-call turn
  // without its chain of thought, so tool-call turns always carry the field,
  // empty if the history has no thinking (e.g. it came from another model).
  if (options.reasoning === 'deepseek' && (thinking.length > 0 || toolCalls.length > 0)) {
    assistant.reasoning_content = thinking.join('');
  }
  return assistant;
}

/**
 * Translates `system` and `messages` into OpenAI chat messages.
 *
 * - `system` (string or text blocks) → one leading `system` message, blocks
 *   joined with a blank line, Claude Code's attribution block dropped.
 * - `role: "system"` messages → `system` messages in place.
 * - user blocks: text, image (base64 → data URI, url kept), document (PDF →
 *   `file` part, text → text), search_result → text, tool_result → `tool`
 *   messages before the rest of that user message.
 * - assistant blocks: text → content, tool_use → tool_calls, thinking →
 *   `reasoning_content` for DeepSeek, dropped otherwise.
 * - `cache_control` disappears because every part is built afresh.
 *
 * @see ../../../../shared/protocol/anthropic-protocol.md §1.2, §7.2
 * @see BerriAI/litellm litellm/llms/anthropic/experimental_pass_through/adapters/transformation.py
 *   (`translate_anthropic_messages_to_openai`)
 */
export function convertAnthropicMessagesToOpenAI(options: {
  system: string | AnthropicTextBlockParam[] | undefined;
  messages: AnthropicMessageParam[];
  toolNames: ToolNameMap;
  reasoning: ReasoningDialect;
}): ConvertedMessages {
  const warnings: string[] = [];
  const messages: OpenAIChatMessage[] = [];

  if (options.system !== undefined) {
    const blocks = typeof options.system === 'string' ? [options.system] : options.system.map((block) => block.text);
    const kept = blocks.filter((text, position) => !(position === 0 && text.startsWith(ATTRIBUTION_BLOCK_PREFIX)));
    const text = kept.join(BLOCK_SEPARATOR);
    if (text !== '') messages.push({ role: 'system', content: text });
  }

  const last = options.messages[options.messages.length - 1];
  if (last?.role === 'assistant') {
    // Anthropic continues a final assistant message; OpenAI would answer it
    // with a new message, so the client would get text that does not follow
    // its prefill.
    throw new UnsupportedFeatureError({ feature: 'assistant prefill (a final assistant message)' });
  }

  for (const message of options.messages) {
    switch (message.role) {
      case 'system':
        messages.push({ role: 'system', content: systemText(message.content, 'a system message') });
        break;
      case 'user':
        convertUserMessage(message, messages, warnings);
        break;
      case 'assistant':
        messages.push(convertAssistantMessage(message, options));
        break;
      default:
        throw new UnsupportedFeatureError({ feature: `message role "${String((message as { role?: unknown }).role)}"` });
    }
  }
  return { messages, warnings };
}

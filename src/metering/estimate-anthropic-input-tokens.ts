import type { AnthropicMessagesRequest } from '../protocol/anthropic/anthropic-messages-request.js';

/** What Anthropic documents as the ceiling of one image (about 1.15 megapixels at ~750 pixels a token). */
export const IMAGE_TOKENS = 1_600;
/** Per message framing, as OpenAI's chat format counts it; Anthropic's is of the same order. */
const MESSAGE_OVERHEAD = 3;

type Encoder = (text: string) => number;
let encoder: Promise<Encoder> | undefined;

/** The o200k_base tokenizer (GPT-4o and later), loaded on first use so an idle gateway does not carry its tables. */
function loadEncoder(): Promise<Encoder> {
  encoder ??= import('gpt-tokenizer').then((module) => (text: string) => module.countTokens(text));
  return encoder;
}

/**
 * A local count of a Messages request's input tokens, for channels with no
 * count_tokens endpoint (OpenAI-compatible upstreams). It is an estimate and
 * is labelled as one: the text (system, messages, tool calls and results,
 * tool definitions as JSON) is counted with a real BPE tokenizer (o200k_base),
 * which is not Claude's, plus a fixed framing per message; an image counts as
 * IMAGE_TOKENS and a PDF as IMAGE_TOKENS per page, the ceilings Anthropic
 * documents, since their true cost depends on the model's vision encoder.
 */
export async function estimateAnthropicInputTokens(request: AnthropicMessagesRequest): Promise<number> {
  const count = await loadEncoder();
  let total = MESSAGE_OVERHEAD;
  const text = (value: unknown) => (typeof value === 'string' && value.length > 0 ? count(value) : 0);

  const blocks = (content: unknown): number => {
    if (typeof content === 'string') return text(content);
    if (!Array.isArray(content)) return 0;
    let sum = 0;
    for (const block of content as Array<Record<string, unknown>>) {
      switch (block?.type) {
        case 'text':
          sum += text(block.text);
          break;
        case 'thinking':
          sum += text(block.thinking);
          break;
        case 'tool_use':
        case 'server_tool_use':
          sum += text(block.name) + text(JSON.stringify(block.input ?? {}));
          break;
        case 'tool_result':
          sum += blocks(block.content);
          break;
        case 'image':
          sum += IMAGE_TOKENS;
          break;
        case 'document':
          sum += documentTokens(block.source as Record<string, unknown> | undefined, text, blocks);
          break;
        default:
          sum += text(JSON.stringify(block));
      }
    }
    return sum;
  };

  total += blocks(request.system);
  for (const message of request.messages ?? []) total += MESSAGE_OVERHEAD + blocks(message.content);
  for (const tool of request.tools ?? []) total += text(JSON.stringify(tool));
  return total;
}

function documentTokens(source: Record<string, unknown> | undefined, text: (value: unknown) => number, blocks: (content: unknown) => number): number {
  if (!source) return 0;
  if (source.type === 'text') return text(source.data);
  if (source.type === 'content') return blocks(source.content);
  if (source.type === 'base64' && typeof source.data === 'string') {
    // Pages are `/Type /Page` objects (not `/Pages`, the tree node); a PDF without any counts as one page.
    const pdf = Buffer.from(source.data, 'base64').toString('latin1');
    const pages = pdf.match(/\/Type\s*\/Page(?!s)/g)?.length ?? 1;
    return pages * IMAGE_TOKENS;
  }
  return IMAGE_TOKENS;
}

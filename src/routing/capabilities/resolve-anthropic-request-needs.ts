import type { AnthropicMessagesRequest } from '../../protocol/anthropic/anthropic-messages-request.js';
import { mapToolTypeToServerToolFamily } from './map-tool-type-to-server-tool-family.js';
import type { RequestNeeds } from './request-needs.js';

type Found = Omit<RequestNeeds, 'serverTools' | 'betas'> & { serverTools: Set<string> };

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

/**
 * Walks content blocks, descending into the places where images and
 * documents hide: a tool result's content and a content-sourced document.
 */
function scanBlocks(blocks: unknown, found: Found): void {
  if (!Array.isArray(blocks)) return;
  for (const block of blocks) {
    if (!isRecord(block)) continue;
    switch (block.type) {
      case 'image':
        found.images = true;
        break;
      case 'document':
        found.documents = true;
        if (isRecord(block.source) && block.source.type === 'content') scanBlocks(block.source.content, found);
        break;
      case 'tool_use':
        found.tools = true;
        break;
      case 'tool_result':
        found.tools = true;
        scanBlocks(block.content, found);
        break;
      case 'server_tool_use':
        // An earlier turn ran a server tool; only an upstream that runs it can
        // take the echo back (the OpenAI translator refuses it).
        if (typeof block.name === 'string') found.serverTools.add(mapToolTypeToServerToolFamily({ type: block.name }));
        break;
      case 'mcp_tool_use':
      case 'mcp_tool_result':
        found.serverTools.add('mcp');
        break;
      case 'container_upload':
        found.serverTools.add('code_execution');
        break;
      default:
        // Text, thinking and redacted_thinking, search results, and blocks
        // nobody knows yet need nothing a channel declares.
        break;
    }
  }
}

/** Every value of every `anthropic-beta` line, once each, as spelled. */
function splitBetaHeader(header: string | string[] | undefined): string[] {
  if (header === undefined) return [];
  const lines = Array.isArray(header) ? header : [header];
  const betas = new Set<string>();
  for (const line of lines) {
    for (const value of line.split(',')) {
      const beta = value.trim();
      if (beta !== '') betas.add(beta);
    }
  }
  return [...betas];
}

/**
 * What an Anthropic Messages request needs from the channel that serves it.
 *
 * The body has only been parsed as far as routing needs (validation is the
 * upstream's job), so anything malformed here counts as needing nothing:
 * the upstream will reject it in its own words.
 *
 * - thinking: `thinking.type` is `enabled` or `adaptive`. Thinking and
 *   redacted_thinking blocks in the history do not count: they record
 *   earlier turns, not what this turn asks for, and a channel that cannot
 *   think still serves the conversation once they are stripped (the OpenAI
 *   translator drops redacted_thinking and replays thinking as plain
 *   reasoning text or not at all).
 * - tools: a custom tool is declared (`type` absent, null or `custom`), or
 *   the history holds `tool_use` / `tool_result` blocks, which only a
 *   tool-capable upstream accepts even with no tools declared.
 * - serverTools: every other tool `type` by family, plus `mcp` for a
 *   non-empty `mcp_servers`, `code_execution` for a `container` (it is the
 *   code-execution sandbox), and the server tools already used in the
 *   history (`server_tool_use`, `mcp_tool_*`, `container_upload`).
 * - betas: the `anthropic-beta` header; the body carries none.
 *
 * @see ../../../../shared/protocol/anthropic-protocol.md §1
 */
export function resolveAnthropicRequestNeeds(options: {
  request: AnthropicMessagesRequest;
  betaHeader: string | string[] | undefined;
}): RequestNeeds {
  const { request } = options;
  const found: Found = { thinking: false, tools: false, images: false, documents: false, serverTools: new Set() };

  const thinking: unknown = request.thinking;
  found.thinking = isRecord(thinking) && (thinking.type === 'enabled' || thinking.type === 'adaptive');

  const tools: unknown = request.tools;
  if (Array.isArray(tools)) {
    for (const tool of tools) {
      if (!isRecord(tool)) continue;
      const type = tool.type;
      if (type === undefined || type === null || type === 'custom') found.tools = true;
      else if (typeof type === 'string') found.serverTools.add(mapToolTypeToServerToolFamily({ type }));
    }
  }

  const mcpServers: unknown = request.mcp_servers;
  if (Array.isArray(mcpServers) && mcpServers.length > 0) found.serverTools.add('mcp');
  if (request.container !== undefined && request.container !== null) found.serverTools.add('code_execution');

  const messages: unknown = request.messages;
  if (Array.isArray(messages)) {
    for (const message of messages) {
      if (isRecord(message)) scanBlocks(message.content, found);
    }
  }

  return {
    thinking: found.thinking,
    tools: found.tools,
    images: found.images,
    documents: found.documents,
    serverTools: [...found.serverTools],
    betas: splitBetaHeader(options.betaHeader),
  };
}

import type { AnthropicTextCitation } from './anthropic-text-citation.js';

export interface AnthropicTextBlock {
  type: 'text';
  text: string;
  citations?: AnthropicTextCitation[] | null;
  [field: string]: unknown;
}

/**
 * `signature` proves the thinking came from Anthropic; a client must replay it
 * unchanged. Blocks translated from other upstreams carry an empty signature
 * (they have none), which Anthropic would reject on replay.
 */
export interface AnthropicThinkingBlock {
  type: 'thinking';
  thinking: string;
  signature: string;
  [field: string]: unknown;
}

export interface AnthropicRedactedThinkingBlock {
  type: 'redacted_thinking';
  data: string;
  [field: string]: unknown;
}

export interface AnthropicToolUseBlock {
  type: 'tool_use';
  id: string;
  name: string;
  /** Always an object once complete (`{}` while streaming starts). */
  input: unknown;
  [field: string]: unknown;
}

export interface AnthropicServerToolUseBlock {
  type: 'server_tool_use';
  id: string;
  name: string;
  input: unknown;
  [field: string]: unknown;
}

export interface AnthropicWebSearchToolResultBlock {
  type: 'web_search_tool_result';
  tool_use_id: string;
  content:
    | Array<{ type: 'web_search_result'; url: string; title: string; encrypted_content: string; page_age?: string | null }>
    | { type: 'web_search_tool_result_error'; error_code: string };
  [field: string]: unknown;
}

/** Blocks a gateway passes through without reading (server-tool results, betas). */
export interface AnthropicOpaqueContentBlock {
  type:
    | 'web_fetch_tool_result'
    | 'code_execution_tool_result'
    | 'bash_code_execution_tool_result'
    | 'text_editor_code_execution_tool_result'
    | 'tool_search_tool_result'
    | 'container_upload'
    | 'mcp_tool_use'
    | 'mcp_tool_result'
    | 'compaction'
    | 'fallback'
    | 'advisor_tool_result';
  [field: string]: unknown;
}

/**
 * A content block of a response message, and the `content_block` of
 * `content_block_start`. Block types added later can still arrive at run
 * time (see `AnthropicUnknownContentBlockParam` for why they are not a member).
 * @see ../../../../shared/protocol/anthropic-protocol.md §2.2, §3.3
 */
export type AnthropicContentBlock =
  | AnthropicTextBlock
  | AnthropicThinkingBlock
  | AnthropicRedactedThinkingBlock
  | AnthropicToolUseBlock
  | AnthropicServerToolUseBlock
  | AnthropicWebSearchToolResultBlock
  | AnthropicOpaqueContentBlock;

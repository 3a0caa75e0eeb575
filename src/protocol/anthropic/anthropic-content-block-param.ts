import type { AnthropicCacheControl } from './anthropic-cache-control.js';
import type { AnthropicTextCitation } from './anthropic-text-citation.js';

/** The only image types the Messages API accepts. */
export type AnthropicImageMediaType = 'image/jpeg' | 'image/png' | 'image/gif' | 'image/webp';

export interface AnthropicTextBlockParam {
  type: 'text';
  /** Must be non-empty: the API rejects empty text blocks in requests. */
  text: string;
  cache_control?: AnthropicCacheControl | null;
  citations?: AnthropicTextCitation[] | null;
  [field: string]: unknown;
}

export type AnthropicImageSource =
  | { type: 'base64'; media_type: AnthropicImageMediaType; data: string }
  | { type: 'url'; url: string }
  /** Files API (beta). */
  | { type: 'file'; file_id: string };

export interface AnthropicImageBlockParam {
  type: 'image';
  source: AnthropicImageSource;
  cache_control?: AnthropicCacheControl | null;
  [field: string]: unknown;
}

export type AnthropicDocumentSource =
  | { type: 'base64'; media_type: 'application/pdf'; data: string }
  | { type: 'text'; media_type: 'text/plain'; data: string }
  | { type: 'content'; content: string | Array<AnthropicTextBlockParam | AnthropicImageBlockParam> }
  | { type: 'url'; url: string }
  | { type: 'file'; file_id: string };

export interface AnthropicDocumentBlockParam {
  type: 'document';
  source: AnthropicDocumentSource;
  cache_control?: AnthropicCacheControl | null;
  citations?: { enabled?: boolean } | null;
  context?: string | null;
  title?: string | null;
  [field: string]: unknown;
}

export interface AnthropicSearchResultBlockParam {
  type: 'search_result';
  source: string;
  title: string;
  content: AnthropicTextBlockParam[];
  cache_control?: AnthropicCacheControl | null;
  citations?: { enabled?: boolean };
  [field: string]: unknown;
}

export interface AnthropicToolUseBlockParam {
  type: 'tool_use';
  /** Must match ^[a-zA-Z0-9_-]+$. */
  id: string;
  name: string;
  input: unknown;
  cache_control?: AnthropicCacheControl | null;
  [field: string]: unknown;
}

export interface AnthropicToolResultBlockParam {
  type: 'tool_result';
  tool_use_id: string;
  /** Optional; other block types (tool_reference, browser_state) may appear in the array. */
  content?:
    | string
    | Array<
        | AnthropicTextBlockParam
        | AnthropicImageBlockParam
        | AnthropicSearchResultBlockParam
        | AnthropicDocumentBlockParam
        | { type: 'tool_reference' | 'browser_state'; [field: string]: unknown }
      >;
  is_error?: boolean;
  cache_control?: AnthropicCacheControl | null;
  [field: string]: unknown;
}

/** Must be replayed byte-for-byte, signature included. */
export interface AnthropicThinkingBlockParam {
  type: 'thinking';
  thinking: string;
  signature: string;
  [field: string]: unknown;
}

export interface AnthropicRedactedThinkingBlockParam {
  type: 'redacted_thinking';
  data: string;
  [field: string]: unknown;
}

export interface AnthropicServerToolUseBlockParam {
  type: 'server_tool_use';
  id: string;
  name: string;
  input: unknown;
  cache_control?: AnthropicCacheControl | null;
  [field: string]: unknown;
}

export interface AnthropicWebSearchResultBlockParam {
  type: 'web_search_result';
  url: string;
  title: string;
  encrypted_content: string;
  page_age?: string | null;
}

export interface AnthropicWebSearchToolResultBlockParam {
  type: 'web_search_tool_result';
  tool_use_id: string;
  content: AnthropicWebSearchResultBlockParam[] | { type: 'web_search_tool_result_error'; error_code: string };
  cache_control?: AnthropicCacheControl | null;
  [field: string]: unknown;
}

/**
 * Block types that are echoed back from earlier responses and only ever
 * forwarded opaquely (server-tool results, MCP and compaction betas).
 */
export interface AnthropicOpaqueContentBlockParam {
  type:
    | 'web_fetch_tool_result'
    | 'code_execution_tool_result'
    | 'bash_code_execution_tool_result'
    | 'text_editor_code_execution_tool_result'
    | 'tool_search_tool_result'
    | 'container_upload'
    | 'mcp_tool_use'
    | 'mcp_tool_result'
    | 'compaction';
  [field: string]: unknown;
}

/**
 * Any block type the API adds after these types were written. Deliberately
 * NOT a member of {@link AnthropicContentBlockParam}: a member whose `type` is
 * plain `string` stops `switch (block.type)` from narrowing the known members
 * (TypeScript keeps it in every case). Parsed JSON can still hold such blocks
 * at run time, so code that forwards content must keep a `default:` branch.
 */
export interface AnthropicUnknownContentBlockParam {
  type: string;
  [field: string]: unknown;
}

/**
 * A content block in a request message (`ContentBlockParam`).
 * @see ../../../../shared/protocol/anthropic-protocol.md §1.3
 */
export type AnthropicContentBlockParam =
  | AnthropicTextBlockParam
  | AnthropicImageBlockParam
  | AnthropicDocumentBlockParam
  | AnthropicSearchResultBlockParam
  | AnthropicToolUseBlockParam
  | AnthropicToolResultBlockParam
  | AnthropicThinkingBlockParam
  | AnthropicRedactedThinkingBlockParam
  | AnthropicServerToolUseBlockParam
  | AnthropicWebSearchToolResultBlockParam
  | AnthropicOpaqueContentBlockParam;

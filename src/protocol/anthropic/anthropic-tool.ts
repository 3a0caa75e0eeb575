import type { AnthropicCacheControl } from './anthropic-cache-control.js';

/** A client tool the model calls with `tool_use`; the caller runs it. */
export interface AnthropicCustomTool {
  type?: 'custom' | null;
  name: string;
  description?: string;
  input_schema: { type: 'object'; properties?: Record<string, unknown> | null; required?: string[] | null; [field: string]: unknown };
  cache_control?: AnthropicCacheControl | null;
  strict?: boolean;
  defer_loading?: boolean;
  eager_input_streaming?: boolean | null;
  input_examples?: Array<Record<string, unknown>>;
  allowed_callers?: string[];
  [field: string]: unknown;
}

/** The versioned `type` strings of Anthropic-defined tools known when this was written. */
export type AnthropicServerToolType =
  | 'bash_20250124'
  | 'text_editor_20250124'
  | 'text_editor_20250429'
  | 'text_editor_20250728'
  | 'web_search_20250305'
  | 'web_search_20260209'
  | 'web_search_20260318'
  | 'web_fetch_20250910'
  | 'web_fetch_20260209'
  | 'web_fetch_20260309'
  | 'web_fetch_20260318'
  | 'code_execution_20250522'
  | 'code_execution_20250825'
  | 'code_execution_20260120'
  | 'code_execution_20260521'
  | 'memory_20250818'
  | 'tool_search_tool_bm25_20251119'
  | 'tool_search_tool_regex_20251119'
  | 'browser_toolset_20260801'
  | 'computer_toolset_20260801'
  | 'computer_20250124'
  | 'computer_20251124';

/**
 * An Anthropic-defined (server or versioned client) tool. Its settings differ
 * per type (`max_uses`, `allowed_domains`, `user_location`, …) and are
 * forwarded without being read.
 */
export interface AnthropicServerTool {
  type: AnthropicServerToolType;
  name: string;
  cache_control?: AnthropicCacheControl | null;
  [field: string]: unknown;
}

/**
 * An entry of `tools` (`ToolUnion`), told apart by `type`: absent, null or
 * `custom` is a custom tool, anything else an Anthropic-defined one.
 * @see ../../../../shared/protocol/anthropic-protocol.md §1.4
 */
export type AnthropicTool = AnthropicCustomTool | AnthropicServerTool;

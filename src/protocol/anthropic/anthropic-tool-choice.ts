/**
 * `tool_choice`. `disable_parallel_tool_use: true` means at most one tool use
 * (`auto`) or exactly one (`any`, `tool`). Forced use (`any`, `tool`) is
 * incompatible with thinking.
 * @see ../../../../shared/protocol/anthropic-protocol.md §1.4
 */
export type AnthropicToolChoice =
  | { type: 'auto'; disable_parallel_tool_use?: boolean }
  | { type: 'any'; disable_parallel_tool_use?: boolean }
  | { type: 'tool'; name: string; disable_parallel_tool_use?: boolean }
  | { type: 'none' };

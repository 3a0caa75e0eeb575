/**
 * `thinking`. `budget_tokens` must be ≥ 1024 and below `max_tokens` (unless
 * interleaved thinking is on). `adaptive` is the recommended mode for 4.6+
 * models, with depth set through `output_config.effort`.
 * @see ../../../../shared/protocol/anthropic-protocol.md §1.5
 */
export type AnthropicThinkingConfig =
  | { type: 'enabled'; budget_tokens: number; display?: 'summarized' | 'omitted' }
  | { type: 'adaptive'; display?: 'summarized' | 'omitted' }
  | { type: 'disabled' };

/**
 * Why the model stopped. Non-null in a complete message; null only in
 * `message_start`. `compaction` is beta. Upstreams may add values: code that
 * reads a stop reason from an upstream should keep a default branch.
 * @see ../../../../shared/protocol/anthropic-protocol.md §2.3
 */
export type AnthropicStopReason =
  | 'end_turn'
  | 'max_tokens'
  | 'stop_sequence'
  | 'tool_use'
  | 'pause_turn'
  | 'refusal'
  | 'model_context_window_exceeded'
  | 'compaction';

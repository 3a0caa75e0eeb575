import type { AnthropicContentBlock } from './anthropic-content-block.js';
import type { AnthropicStopReason } from './anthropic-stop-reason.js';
import type { AnthropicUsage } from './anthropic-usage.js';

/**
 * A response message (`Message`), returned whole by a non-streaming call and
 * announced (empty) by `message_start`. The SDK accumulators write into
 * `content` and `usage`, so both must always be present, and
 * `usage.input_tokens`/`output_tokens` are dereferenced.
 * @see ../../../../shared/protocol/anthropic-protocol.md §2.1
 */
export interface AnthropicMessage {
  id: string;
  type: 'message';
  role: 'assistant';
  model: string;
  content: AnthropicContentBlock[];
  /** null only in `message_start`. */
  stop_reason: AnthropicStopReason | null;
  stop_sequence: string | null;
  stop_details?: { type: 'refusal'; category: string | null; explanation: string | null } | null;
  container?: { id: string; expires_at: string; [field: string]: unknown } | null;
  usage: AnthropicUsage & { input_tokens: number; output_tokens: number };
  [field: string]: unknown;
}

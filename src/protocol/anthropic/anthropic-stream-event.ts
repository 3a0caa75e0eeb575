import type { AnthropicContentBlock } from './anthropic-content-block.js';
import type { AnthropicErrorType } from './anthropic-error-body.js';
import type { AnthropicMessage } from './anthropic-message.js';
import type { AnthropicStopReason } from './anthropic-stop-reason.js';
import type { AnthropicTextCitation } from './anthropic-text-citation.js';
import type { AnthropicUsage } from './anthropic-usage.js';

export interface AnthropicMessageStartEvent {
  type: 'message_start';
  /** `content` empty, `stop_reason` null. */
  message: AnthropicMessage;
}

export interface AnthropicContentBlockStartEvent {
  type: 'content_block_start';
  /** Position in the final `content`: 0, 1, 2… opened in order. */
  index: number;
  content_block: AnthropicContentBlock;
}

export type AnthropicContentBlockDelta =
  | { type: 'text_delta'; text: string }
  | { type: 'input_json_delta'; partial_json: string }
  | { type: 'thinking_delta'; thinking: string }
  /** Replaces (not appends to) the block's signature; sent just before its stop. */
  | { type: 'signature_delta'; signature: string }
  | { type: 'citations_delta'; citation: AnthropicTextCitation };

export interface AnthropicContentBlockDeltaEvent {
  type: 'content_block_delta';
  index: number;
  delta: AnthropicContentBlockDelta;
}

export interface AnthropicContentBlockStopEvent {
  type: 'content_block_stop';
  index: number;
}

export interface AnthropicMessageDeltaEvent {
  type: 'message_delta';
  delta: { stop_reason: AnthropicStopReason | null; stop_sequence: string | null; [field: string]: unknown };
  /**
   * Cumulative totals, not increments. `output_tokens` must be present: both
   * SDK accumulators assign it unconditionally and crash without `usage`.
   */
  usage: AnthropicUsage & { output_tokens: number };
}

export interface AnthropicMessageStopEvent {
  type: 'message_stop';
}

export interface AnthropicPingEvent {
  type: 'ping';
}

/** Sent in place of the rest of the stream once a 200 has been committed. */
export interface AnthropicErrorEvent {
  type: 'error';
  error: { type: AnthropicErrorType; message: string };
}

/**
 * One server-sent event of a streamed Messages response. The wire carries the
 * same `type` on the `event:` line and in `data`.
 * @see ../../../../shared/protocol/anthropic-protocol.md §3
 */
export type AnthropicStreamEvent =
  | AnthropicMessageStartEvent
  | AnthropicContentBlockStartEvent
  | AnthropicContentBlockDeltaEvent
  | AnthropicContentBlockStopEvent
  | AnthropicMessageDeltaEvent
  | AnthropicMessageStopEvent
  | AnthropicPingEvent
  | AnthropicErrorEvent;

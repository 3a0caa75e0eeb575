import type { Usage } from './usage.js';

/**
 * What metering needs to know about one Anthropic Messages response, streamed
 * or not.
 */
export interface AnthropicStreamSummary {
  /** The last usage the upstream reported (its counts are cumulative). */
  usage: Usage;
  messageId?: string;
  /** The model that actually answered, from the message itself. */
  model?: string;
  /** undefined until reported; null while the message is unfinished. */
  stopReason?: string | null;
  sawMessageStart: boolean;
  /**
   * Whether the response completed. Without it the usage is whatever was
   * reported before the stream broke off.
   */
  sawMessageStop: boolean;
  /** An error the upstream sent in place of the rest of the stream. */
  error?: { type: string; message: string };
}

import type { AnthropicUsage } from '../protocol/anthropic/anthropic-usage.js';
import type { AnthropicStreamSummary } from './anthropic-stream-summary.js';
import { applyAnthropicUsage } from './apply-anthropic-usage.js';
import { createEmptyUsage } from './usage.js';

/** One decoder for every answer: `decode` without `stream` keeps no state between calls. */
const decoder = new TextDecoder();

/**
 * Reads what metering needs from a non-streaming Messages API response body.
 *
 * Returns undefined unless the body is a JSON object of `"type": "message"`
 * (an error envelope, or a body cut short, is not one). A complete message is
 * the whole response, so it counts as having seen both its start and its stop.
 * Never throws.
 */
export function readAnthropicMessageUsage(body: Uint8Array): AnthropicStreamSummary | undefined {
  let message: unknown;
  try {
    message = JSON.parse(decoder.decode(body)) as unknown;
  } catch {
    return undefined;
  }
  if (!isRecord(message) || message.type !== 'message') return undefined;

  const summary: AnthropicStreamSummary = {
    usage: isRecord(message.usage)
      ? applyAnthropicUsage({ usage: createEmptyUsage(), reported: message.usage as AnthropicUsage })
      : createEmptyUsage(),
    sawMessageStart: true,
    sawMessageStop: true,
  };
  if (typeof message.id === 'string') summary.messageId = message.id;
  if (typeof message.model === 'string') summary.model = message.model;
  if (typeof message.stop_reason === 'string' || message.stop_reason === null) {
    summary.stopReason = message.stop_reason;
  }
  return summary;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

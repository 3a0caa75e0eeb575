import { createAnthropicStreamUsageTap } from './create-anthropic-stream-usage-tap.js';
import { readAnthropicMessageUsage } from './read-anthropic-message-usage.js';
import type { AnthropicStreamSummary } from './anthropic-stream-summary.js';
import type { UsageReader, UsageReading } from './usage-reader.js';

function toReading(summary: AnthropicStreamSummary): UsageReading {
  return { usage: summary.usage, model: summary.model, errorType: summary.error?.type, complete: summary.sawMessageStop && !summary.error };
}

/** Usage of Anthropic Messages answers: message_start / message_delta of a stream, `usage` of a message. */
export const anthropicUsageReader: UsageReader = {
  createStreamTap() {
    const tap = createAnthropicStreamUsageTap();
    return { push: (chunk) => tap.push(chunk), end: () => tap.end(), result: () => toReading(tap.result()) };
  },
  readJson(body) {
    const summary = readAnthropicMessageUsage(body);
    return summary && toReading(summary);
  },
};

import type { AnthropicStreamEvent } from './anthropic-stream-event.js';

const encoder = new TextEncoder();

/**
 * Encodes one stream event as an SSE frame. The `event:` line is not optional:
 * the TypeScript SDK dispatches on it alone and silently drops frames without
 * it, while its accumulator switches on `data.type`, so both must name the type.
 * @see ../../../../shared/protocol/anthropic-protocol.md §3.1
 */
export function encodeAnthropicEvent(event: AnthropicStreamEvent): Uint8Array {
  return encoder.encode(`event: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`);
}

import type { AnthropicStreamEvent } from './anthropic-stream-event.js';

/** Each templated delta type's keys, in JSON.stringify's order; the second is its text field. */
const DELTA_KEYS = new Map<unknown, readonly [string, string]>([
  ['text_delta', ['type', 'text']],
  ['thinking_delta', ['type', 'thinking']],
  ['input_json_delta', ['type', 'partial_json']],
]);
const DELTA_EVENT_KEYS = ['type', 'index', 'delta'];

/** The object has exactly these keys, in this order (JSON.stringify writes keys in insertion order). */
function hasKeys(value: object, keys: readonly string[]): boolean {
  let count = 0;
  for (const key in value) {
    if (key !== keys[count]) return false;
    count++;
  }
  return count === keys.length;
}

/**
 * The SSE text of a `content_block_delta` event whose delta has a `type` and
 * one text field, the text given as its JSON string literal: the template the
 * common deltas are written from, and what a translation that already holds a
 * delta's literal writes directly.
 */
export function encodeAnthropicDeltaAsText(index: number, type: string, field: string, literal: string): string {
  return `event: content_block_delta\ndata: {"type":"content_block_delta","index":${index},"delta":{"type":"${type}","${field}":${literal}}}\n\n`;
}

/**
 * Encodes a run of stream events as SSE text. This is the hot path of every
 * translated stream (one call per upstream chunk), so the text is built as one
 * string, and the common delta events are written from a template: a delta's
 * JSON shape is fixed, only its text needs escaping, and that is cheaper than
 * walking the object. The output is the same JSON as JSON.stringify of the
 * event (key order included).
 * @see ./encode-anthropic-event.ts for the framing rules.
 */
export function encodeAnthropicEventsAsText(events: readonly AnthropicStreamEvent[]): string {
  let text = '';
  for (const event of events) {
    if (event.type === 'content_block_delta' && typeof event.index === 'number' && hasKeys(event, DELTA_EVENT_KEYS)) {
      const delta = event.delta as unknown as Record<string, unknown>;
      const keys = DELTA_KEYS.get(delta.type);
      if (keys !== undefined && hasKeys(delta, keys) && typeof delta[keys[1]] === 'string') {
        text += encodeAnthropicDeltaAsText(event.index, delta.type as string, keys[1], JSON.stringify(delta[keys[1]]));
        continue;
      }
    }
    text += `event: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`;
  }
  return text;
}

/** encodeAnthropicEventsAsText in one buffer; nothing for no events. */
export function encodeAnthropicEvents(events: readonly AnthropicStreamEvent[]): Buffer | undefined {
  if (events.length === 0) return undefined;
  return Buffer.from(encodeAnthropicEventsAsText(events));
}

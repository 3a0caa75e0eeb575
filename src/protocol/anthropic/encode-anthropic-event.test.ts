import { describe, expect, it } from 'vitest';
import { createSseParser } from '../sse/create-sse-parser.js';
import type { AnthropicStreamEvent } from './anthropic-stream-event.js';
import { encodeAnthropicEvent } from './encode-anthropic-event.js';

describe('encodeAnthropicEvent', () => {
  it('writes an event line naming the type and one data line of JSON', () => {
    const event: AnthropicStreamEvent = { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'a\nb "c" é' } };
    expect(new TextDecoder().decode(encodeAnthropicEvent(event))).toBe(
      'event: content_block_delta\ndata: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"a\\nb \\"c\\" é"}}\n\n',
    );
  });

  it('round-trips through the SSE parser', () => {
    const events: AnthropicStreamEvent[] = [
      { type: 'ping' },
      { type: 'message_delta', delta: { stop_reason: 'end_turn', stop_sequence: null }, usage: { output_tokens: 3 } },
      { type: 'message_stop' },
      { type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } },
    ];
    const parser = createSseParser();
    const parsed = events.flatMap((event) => parser.push(encodeAnthropicEvent(event)));
    expect(parsed.map((sse) => ({ event: sse.event, data: JSON.parse(sse.data) as unknown }))).toEqual(
      events.map((event) => ({ event: event.type, data: event })),
    );
  });
});

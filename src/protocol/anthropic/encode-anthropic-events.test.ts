import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createSseParser } from '../sse/create-sse-parser.js';
import type { AnthropicStreamEvent } from './anthropic-stream-event.js';
import { encodeAnthropicEvent } from './encode-anthropic-event.js';
import { encodeAnthropicEvents } from './encode-anthropic-events.js';

const directory = new URL('../../../test/fixtures/anthropic/stream/', import.meta.url);

describe('encodeAnthropicEvents', () => {
  it('writes exactly what encodeAnthropicEvent writes for every event of every recorded stream', () => {
    for (const name of readdirSync(directory)) {
      const events = createSseParser()
        .push(readFileSync(new URL(name, directory)))
        .flatMap((event) => {
          try {
            return [JSON.parse(event.data) as AnthropicStreamEvent];
          } catch {
            return [];
          }
        });
      const expected = Buffer.concat(events.map((event) => encodeAnthropicEvent(event)));
      expect(encodeAnthropicEvents(events)!.equals(expected), name).toBe(true);
    }
  });

  it('escapes delta text exactly as JSON.stringify does, and returns nothing for no events', () => {
    const events: AnthropicStreamEvent[] = [
      { type: 'content_block_delta', index: 2, delta: { type: 'text_delta', text: 'quote " backslash \\ newline \n unicode é \u2028' } },
      { type: 'content_block_delta', index: 0, delta: { type: 'input_json_delta', partial_json: '{"a":' } },
      { type: 'content_block_delta', index: 1, delta: { type: 'thinking_delta', thinking: 'hmm\t' } },
    ];
    expect(encodeAnthropicEvents(events)!.equals(Buffer.concat(events.map((event) => encodeAnthropicEvent(event))))).toBe(true);
    expect(encodeAnthropicEvents([])).toBeUndefined();
  });
});

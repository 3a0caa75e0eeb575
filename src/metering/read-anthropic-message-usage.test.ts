import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { AnthropicStreamSummary } from './anthropic-stream-summary.js';
import { readAnthropicMessageUsage } from './read-anthropic-message-usage.js';
import { createEmptyUsage, type Usage } from './usage.js';

const responseDir = new URL('../../test/fixtures/anthropic/response/', import.meta.url);
const errorDir = new URL('../../test/fixtures/anthropic/error/', import.meta.url);
const readFixture = (dir: URL, name: string): Uint8Array => new Uint8Array(readFileSync(new URL(name, dir)));
const usageWith = (fields: Partial<Usage>): Usage => ({ ...createEmptyUsage(), ...fields });
const bytesOf = (text: string): Uint8Array => new TextEncoder().encode(text);

function message(id: string, model: string, stopReason: string, usage: Partial<Usage>): AnthropicStreamSummary {
  return {
    usage: usageWith(usage),
    messageId: id,
    model,
    stopReason,
    sawMessageStart: true,
    sawMessageStop: true,
  };
}

// Read off the fixtures by hand.
const expected: Record<string, AnthropicStreamSummary> = {
  // Top-level usage counts only the final iteration; `usage.iterations` also
  // lists the compaction pass (60,385 in / 592 out), which is billed too: the sums.
  'compaction.json': message('msg_01D55QDk6AZP2o6n9ko7TkDJ', 'claude-opus-4-6', 'end_turn', {
    inputTokens: 60_385 + 682,
    outputTokens: 592 + 1320,
  }),
  'text.json': message('msg_01VdEjxAP5ahtHKrrRdNBteQ', 'claude-sonnet-4-5-20250929', 'end_turn', {
    inputTokens: 12,
    outputTokens: 29,
  }),
  'thinking-signature-text.json': message('msg_01XrsJCi8CQoLcnnWdY8RsJz', 'claude-sonnet-4-5-20250929', 'end_turn', {
    inputTokens: 69,
    outputTokens: 33,
  }),
  'tool-use-no-args.json': message('msg_01GCBaV8gyWAYgMVggRqZbuQ', 'claude-3-opus-20240229', 'tool_use', {
    inputTokens: 602,
    outputTokens: 93,
  }),
  'tool-use.json': message('msg_0191iYfpERYfS27xLsdW2nbb', 'claude-haiku-4-5-20251001', 'tool_use', {
    inputTokens: 1151,
    outputTokens: 87,
  }),
  'web-search-citations.json': message('msg_01PHHrjzLH4teUMhgkGgqYYc', 'claude-sonnet-4-20250514', 'end_turn', {
    inputTokens: 27118,
    outputTokens: 600,
    webSearchRequests: 2,
  }),
};

describe('readAnthropicMessageUsage', () => {
  it('has an expectation for every response fixture', () => {
    expect(readdirSync(responseDir).filter((name) => name.endsWith('.json')).sort()).toEqual(
      Object.keys(expected).sort(),
    );
  });

  it.each(Object.entries(expected))('%s', (name, summary) => {
    expect(readAnthropicMessageUsage(readFixture(responseDir, name))).toEqual(summary);
  });

  it.each(readdirSync(errorDir).filter((name) => name.endsWith('.json')))(
    'returns undefined for the error envelope %s',
    (name) => {
      expect(readAnthropicMessageUsage(readFixture(errorDir, name))).toBeUndefined();
    },
  );

  it.each([
    ['an empty body', ''],
    ['truncated JSON', '{"type":"message","usage":{"input_tokens":1'],
    ['a JSON array', '[{"type":"message"}]'],
    ['JSON null', 'null'],
    ['an object that is not a message', '{"type":"completion","usage":{"input_tokens":1}}'],
  ])('returns undefined for %s', (_name, body) => {
    expect(readAnthropicMessageUsage(bytesOf(body))).toBeUndefined();
  });

  it('tolerates a message without usage or with odd fields', () => {
    expect(readAnthropicMessageUsage(bytesOf('{"type":"message","id":7,"usage":"lots","stop_reason":null}'))).toEqual({
      usage: createEmptyUsage(),
      stopReason: null,
      sawMessageStart: true,
      sawMessageStop: true,
    });
  });
});

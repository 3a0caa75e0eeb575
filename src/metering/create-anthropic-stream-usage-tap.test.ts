import { readFileSync, readdirSync } from 'node:fs';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { AnthropicStreamSummary } from './anthropic-stream-summary.js';
import { createAnthropicStreamUsageTap } from './create-anthropic-stream-usage-tap.js';
import { createEmptyUsage, type Usage } from './usage.js';

const streamDir = new URL('../../test/fixtures/anthropic/stream/', import.meta.url);
const readFixture = (name: string): Uint8Array => new Uint8Array(readFileSync(new URL(name, streamDir)));
const usageWith = (fields: Partial<Usage>): Usage => ({ ...createEmptyUsage(), ...fields });
const bytesOf = (text: string): Uint8Array => new TextEncoder().encode(text);

function summarize(chunks: Uint8Array[]): AnthropicStreamSummary {
  const tap = createAnthropicStreamUsageTap();
  for (const chunk of chunks) tap.push(chunk);
  tap.end();
  return tap.result();
}

const completed = (
  fields: Omit<AnthropicStreamSummary, 'usage' | 'sawMessageStart' | 'sawMessageStop'> & { usage: Partial<Usage> },
): AnthropicStreamSummary => ({ ...fields, usage: usageWith(fields.usage), sawMessageStart: true, sawMessageStop: true });

// Read off the fixtures by hand: the usage is message_delta's where it reports
// a field, message_start's otherwise.
const expected: Record<string, AnthropicStreamSummary> = {
  // Two identical message_start events; message_delta reports output only.
  'broken-duplicate-message-start.sse': completed({
    usage: { inputTokens: 17, outputTokens: 227 },
    messageId: 'msg_dup',
    model: 'claude-3-haiku-20240307',
    stopReason: 'end_turn',
  }),
  // message_start says 60,385 input; message_delta's top level says 612 and
  // counts only the final iteration, its `iterations` list also holding the
  // compaction pass (60,385 in / 522 out), which is billed too: the sums.
  'compaction.sse': completed({
    usage: { inputTokens: 60_385 + 612, outputTokens: 522 + 2819 },
    messageId: 'msg_01WJn2D9FrjipEZ9u51siJHC',
    model: 'claude-opus-4-6',
    stopReason: 'end_turn',
  }),
  // Cut off by an error: usage is message_start's, no stop reason beyond its null.
  'error-overloaded-midstream.sse': {
    usage: usageWith({ inputTokens: 12, outputTokens: 1 }),
    messageId: 'msg_01QC4g3HwBThD4BaNtBckFDJ',
    model: 'claude-sonnet-4-5-20250929',
    stopReason: null,
    sawMessageStart: true,
    sawMessageStop: false,
    error: { type: 'overloaded_error', message: 'Overloaded' },
  },
  // message_start 43 in / 1 out; message_delta revises input to 61.
  'minimal-usage.sse': completed({
    usage: { inputTokens: 61, outputTokens: 2 },
    messageId: 'msg_3196a1cc08de4d76b85b8f5777c0d42b',
    model: 'claude-opus-4-5-20251101',
    stopReason: 'end_turn',
  }),
  // message_start: 2 in, 3,068 written (all 5m per its split), 0 read, 69 out.
  // message_delta: 6 in, 3,337 written (no split), 6,289 read, 198 out.
  'prompt-cache-write.sse': completed({
    usage: { inputTokens: 6, outputTokens: 198, cacheWrite5mTokens: 3337, cacheReadTokens: 6289 },
    messageId: 'msg_011CdYfpjpVtBoXyXCQD1tQP',
    model: 'claude-sonnet-5',
    stopReason: 'end_turn',
  }),
  'text.sse': completed({
    usage: { inputTokens: 12, outputTokens: 30 },
    messageId: 'msg_01QC4g3HwBThD4BaNtBckFDJ',
    model: 'claude-sonnet-4-5-20250929',
    stopReason: 'end_turn',
  }),
  'thinking-signature-text.sse': completed({
    usage: { inputTokens: 69, outputTokens: 53 },
    messageId: 'msg_01Y6V41gqPaKWEw7iPouH7iW',
    model: 'claude-sonnet-4-5-20250929',
    stopReason: 'end_turn',
  }),
  'tool-use-no-args.sse': completed({
    usage: { inputTokens: 565, outputTokens: 48 },
    messageId: 'msg_01GE2RKp1VYsPzdFs3sS9z5S',
    model: 'claude-sonnet-4-5-20250929',
    stopReason: 'tool_use',
  }),
  'tool-use.sse': completed({
    usage: { inputTokens: 849, outputTokens: 47 },
    messageId: 'msg_01K2JbSUMYhez5RHoK9ZCj9U',
    model: 'claude-haiku-4-5-20251001',
    stopReason: 'tool_use',
  }),
  // message_start 2,037 in; message_delta 15,665 in and one web search.
  'web-search-citations.sse': completed({
    usage: { inputTokens: 15665, outputTokens: 795, webSearchRequests: 1 },
    messageId: 'msg_01LHpEgU4KbfgXGVi3UtHQY1',
    model: 'claude-sonnet-4-20250514',
    stopReason: 'end_turn',
  }),
};

/** Offsets where each event the tap JSON-parses or acts on begins and ends (the fixtures use LF only). */
function tappedEventRanges(bytes: Uint8Array): Array<[number, number]> {
  const text = new TextDecoder().decode(bytes);
  const ranges: Array<[number, number]> = [];
  for (const match of text.matchAll(/^event: (message_start|message_delta|message_stop|error)\n[^]*?\n\n/gm)) {
    // Character offsets equal byte offsets here: these events are ASCII, and
    // any non-ASCII before them is counted by encoding the prefix.
    const start = new TextEncoder().encode(text.slice(0, match.index)).length;
    ranges.push([start, start + match[0].length]);
  }
  return ranges;
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('createAnthropicStreamUsageTap: recorded streams', () => {
  it('has an expectation for every stream fixture', () => {
    expect(readdirSync(streamDir).filter((name) => name.endsWith('.sse')).sort()).toEqual(Object.keys(expected).sort());
  });

  it.each(Object.entries(expected))('%s: summary', (name, summary) => {
    expect(summarize([readFixture(name)])).toEqual(summary);
  });

  it.each(Object.entries(expected))('%s: same summary byte by byte', (name, summary) => {
    const bytes = readFixture(name);
    const chunks: Uint8Array[] = [];
    for (let i = 0; i < bytes.length; i++) chunks.push(bytes.subarray(i, i + 1));
    expect(summarize(chunks)).toEqual(summary);
  });

  // A full run of the tap per cut makes every cut of the two largest files
  // cost ~40 s; for them, every cut in and around the events the tap reads,
  // plus a stride over the rest, whose cuts the SSE parser's tests cover.
  it.each(Object.entries(expected))('%s: same summary for every 2-way cut', (name, summary) => {
    const bytes = readFixture(name);
    const cuts: number[] = [];
    if (bytes.length <= 20_000) {
      for (let cut = 0; cut <= bytes.length; cut++) cuts.push(cut);
    } else {
      const ranges = tappedEventRanges(bytes);
      expect(ranges.length).toBe(3);
      for (const [start, end] of ranges) for (let cut = start - 2; cut <= end + 2; cut++) cuts.push(cut);
      for (let cut = 0; cut <= bytes.length; cut += 997) cuts.push(cut);
    }
    // Compared as JSON for speed; key order comes from the tap, so take it from a whole run.
    const whole = summarize([bytes]);
    expect(whole).toEqual(summary);
    const expectedJson = JSON.stringify(whole);
    const bad = cuts.filter(
      (cut) => JSON.stringify(summarize([bytes.subarray(0, cut), bytes.subarray(cut)])) !== expectedJson,
    );
    expect(bad).toEqual([]);
  });

  it('JSON-parses only message_start, message_delta and error events', () => {
    const parse = vi.spyOn(JSON, 'parse');
    summarize([readFixture('web-search-citations.sse')]);
    expect(parse).toHaveBeenCalledTimes(2);
    parse.mockClear();
    summarize([readFixture('error-overloaded-midstream.sse')]);
    expect(parse).toHaveBeenCalledTimes(2);
  });

  it('reports progress while the stream is running', () => {
    const bytes = readFixture('prompt-cache-write.sse');
    const deltaAt = new TextDecoder().decode(bytes).indexOf('event: message_delta');
    const tap = createAnthropicStreamUsageTap();
    tap.push(bytes.subarray(0, deltaAt));
    expect(tap.result()).toEqual({
      usage: usageWith({ inputTokens: 2, outputTokens: 69, cacheWrite5mTokens: 3068 }),
      messageId: 'msg_011CdYfpjpVtBoXyXCQD1tQP',
      model: 'claude-sonnet-5',
      stopReason: null,
      sawMessageStart: true,
      sawMessageStop: false,
    });
    tap.push(bytes.subarray(deltaAt));
    tap.end();
    expect(tap.result()).toEqual(expected['prompt-cache-write.sse']);
  });

  it('leaves the bytes it observes untouched', () => {
    const bytes = readFixture('text.sse');
    const copy = bytes.slice();
    summarize([bytes.subarray(0, 100), bytes.subarray(100)]);
    expect(bytes).toEqual(copy);
  });
});

describe('createAnthropicStreamUsageTap: odd streams', () => {
  const summarizeText = (text: string): AnthropicStreamSummary => summarize([bytesOf(text)]);
  const nothing: AnthropicStreamSummary = {
    usage: createEmptyUsage(),
    sawMessageStart: false,
    sawMessageStop: false,
  };

  it('summarizes an empty stream', () => {
    expect(summarize([])).toEqual(nothing);
  });

  it('records nothing for events with malformed or unexpected payloads, and never throws', () => {
    const summary = summarizeText(
      [
        'event: message_start\ndata: {"type":"message_start","message":{"id":"msg_1","usage":{"input_tokens"\n\n',
        'event: message_start\ndata: "just a string"\n\n',
        'event: message_start\ndata: {"message":{"id":42,"model":null,"usage":[1,2],"stop_reason":7}}\n\n',
        'event: message_delta\ndata: null\n\n',
        'event: message_delta\ndata: {"delta":"end_turn","usage":{"output_tokens":"12"}}\n\n',
        'event: error\ndata: {"error":{"type":"overloaded_error"}}\n\n',
        'event: error\ndata: not json\n\n',
        'event: content_block_delta\ndata: {oops\n\n',
      ].join(''),
    );
    expect(summary).toEqual({ ...nothing, sawMessageStart: true });
  });

  it('keeps the first message id and model when message_start comes twice', () => {
    const summary = summarizeText(
      'event: message_start\ndata: {"message":{"id":"msg_a","model":"m1","usage":{"input_tokens":5,"output_tokens":1}}}\n\n' +
        'event: message_start\ndata: {"message":{"id":"msg_b","model":"m2","usage":{"input_tokens":7,"output_tokens":1}}}\n\n',
    );
    expect(summary).toMatchObject({ messageId: 'msg_a', model: 'm1', usage: usageWith({ inputTokens: 7, outputTokens: 1 }) });
  });

  it('identifies events by their event name, not their payload', () => {
    expect(summarizeText('data: {"type":"message_stop"}\n\nevent: ping\ndata: {"type":"message_stop"}\n\n')).toEqual({
      ...nothing,
    });
  });

  it('reads the usage of an event named message_delta after its data line, even when first named otherwise', () => {
    const summary = summarizeText(
      'event: ping\ndata: {"type":"ping"}\n\n' +
        'event: ping\ndata: {"type":"message_delta","delta":{"stop_reason":"end_turn"},"usage":{"output_tokens":9}}\nevent: message_delta\n\n',
    );
    expect(summary).toEqual({ ...nothing, usage: usageWith({ outputTokens: 9 }), stopReason: 'end_turn' });
  });

  it('survives binary garbage and ignores pushes after end()', () => {
    const tap = createAnthropicStreamUsageTap();
    const garbage = new Uint8Array(4096);
    for (let i = 0; i < garbage.length; i++) garbage[i] = (i * 2654435761) >>> 24;
    expect(() => tap.push(garbage)).not.toThrow();
    tap.end();
    tap.push(bytesOf('event: message_stop\ndata: {}\n\n'));
    expect(tap.result().sawMessageStop).toBe(false);
  });

  it('discards an event cut off by the end of the stream', () => {
    expect(summarizeText('event: message_stop\ndata: {"type":"message_stop"}\n')).toEqual(nothing);
  });

  it('returns snapshots that callers cannot use to change its state', () => {
    const tap = createAnthropicStreamUsageTap();
    tap.push(bytesOf('event: error\ndata: {"error":{"type":"api_error","message":"boom"}}\n\n'));
    const first = tap.result();
    first.usage.inputTokens = 99;
    first.error!.type = 'changed';
    expect(tap.result()).toEqual({ ...nothing, error: { type: 'api_error', message: 'boom' } });
  });
});

import { Buffer } from 'node:buffer';
import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { AnthropicStreamEvent } from '../../protocol/anthropic/anthropic-stream-event.js';
import type { OpenAIChatCompletionChunk } from '../../protocol/openai/openai-chat-completion-chunk.js';
import type { OpenAIStreamFrame } from '../../protocol/openai/openai-stream-frame.js';
import type { OpenAIUsage } from '../../protocol/openai/openai-usage.js';
import { createSseParser } from '../../protocol/sse/create-sse-parser.js';
import type { SseEvent } from '../../protocol/sse/sse-event.js';
import { createAnthropicToOpenAIStreamTranslator } from './create-anthropic-to-openai-stream-translator.js';
import { createFrozenRepeatedShapeParse } from '../../../test/support/create-frozen-repeated-shape-parse.js';

const streamDir = new URL('../../../test/fixtures/anthropic/stream/', import.meta.url);
const fixtureNames = readdirSync(streamDir).filter((name) => name.endsWith('.sse')).sort();
const readFixture = (name: string) => new Uint8Array(readFileSync(new URL(name, streamDir)));
const CREATED = 1_700_000_000;

function parseSse(chunks: Uint8Array[]): SseEvent[] {
  const parser = createSseParser();
  const events: SseEvent[] = [];
  for (const chunk of chunks) events.push(...parser.push(chunk));
  events.push(...parser.end());
  return events;
}

/**
 * As the gateway does it: events read with the repeated-shape JSON parser, whose
 * results share parts, so they are frozen here (a translator that changed an
 * event would throw). `parseJson` replaces that parser.
 */
function translate(events: SseEvent[], includeUsage = true, parseJson?: (text: string) => unknown): OpenAIStreamFrame[] {
  const parse = parseJson ?? createFrozenRepeatedShapeParse();
  const translator = createAnthropicToOpenAIStreamTranslator({ includeUsage, created: CREATED });
  const frames = [...translator.start()];
  for (const event of events) frames.push(...translator.push(parse(event.data) as AnthropicStreamEvent));
  frames.push(...translator.end());
  return frames;
}

const chunksOf = (frames: OpenAIStreamFrame[]): OpenAIChatCompletionChunk[] =>
  frames.flatMap((frame) => (frame.type === 'chunk' ? [frame.chunk] : []));

/** What an OpenAI client would assemble from the frames. */
function assemble(frames: OpenAIStreamFrame[]) {
  const chunks = chunksOf(frames);
  let content = '';
  let reasoning = '';
  const toolCalls: Array<{ id: string; name: string; arguments: string }> = [];
  const finishReasons: string[] = [];
  for (const chunk of chunks) {
    for (const choice of chunk.choices) {
      content += choice.delta.content ?? '';
      reasoning += choice.delta.reasoning_content ?? '';
      for (const call of choice.delta.tool_calls ?? []) {
        const existing = toolCalls[call.index];
        if (existing === undefined) {
          // Indices must be contiguous from 0: a new call takes the next one.
          expect(call.index).toBe(toolCalls.length);
          expect(call.type).toBe('function');
          toolCalls.push({ id: call.id ?? '', name: call.function?.name ?? '', arguments: call.function?.arguments ?? '' });
        } else {
          expect(call.id).toBeUndefined();
          existing.arguments += call.function?.arguments ?? '';
        }
      }
      if (choice.finish_reason !== null) finishReasons.push(choice.finish_reason);
    }
  }
  const usageChunks = chunks.filter((chunk) => chunk.usage !== undefined && chunk.usage !== null);
  return { chunks, content, reasoning, toolCalls, finishReasons, usageChunks };
}

/** An independent reading of the Anthropic events: what the translation must preserve. */
function readAnthropic(events: SseEvent[]) {
  let text = '';
  let thinking = '';
  const tools = new Map<number, { id: string; name: string; json: string; input: unknown }>();
  for (const { data } of events) {
    const event = JSON.parse(data) as AnthropicStreamEvent;
    if (event.type === 'content_block_start' && event.content_block.type === 'tool_use') {
      const block = event.content_block;
      tools.set(event.index, { id: block.id, name: block.name, json: '', input: block.input });
    } else if (event.type === 'content_block_delta') {
      const delta = event.delta;
      if (delta.type === 'text_delta') text += delta.text;
      if (delta.type === 'thinking_delta') thinking += delta.thinking;
      const tool = tools.get(event.index);
      if (delta.type === 'input_json_delta' && tool !== undefined) tool.json += delta.partial_json;
    }
  }
  return {
    text,
    thinking,
    tools: [...tools.values()].map((tool) => ({ id: tool.id, name: tool.name, input: tool.json === '' ? tool.input : JSON.parse(tool.json) })),
  };
}

interface Expected {
  id: string;
  model: string;
  /** Exact text, or its start and end for the long ones. */
  content: string | { startsWith: string; endsWith: string };
  reasoning?: string;
  toolCalls?: Array<{ id: string; name: string; input: unknown }>;
  finish?: string;
  usage?: OpenAIUsage;
  error?: { message: string; type: string; param: null; code: null };
}

const usage = (input: number, write: number, read: number, output: number, reasoningTokens?: number): OpenAIUsage => ({
  prompt_tokens: input + write + read,
  completion_tokens: output,
  total_tokens: input + write + read + output,
  prompt_tokens_details: { cached_tokens: read, cache_write_tokens: write },
  ...(reasoningTokens === undefined ? {} : { completion_tokens_details: { reasoning_tokens: reasoningTokens } }),
});

const HELLO = "Hello! I'm doing well, thank you for asking. How are you doing today? Is there anything I can help you with?";

// Read off the fixtures by hand. Usage: the last value of each field across
// message_start and the message_deltas (§3.5), then §7.7.
const expected: Record<string, Expected> = {
  'broken-duplicate-message-start.sse': {
    id: 'msg_dup',
    model: 'claude-3-haiku-20240307',
    content: 'Hello, World!',
    finish: 'stop',
    usage: { prompt_tokens: 17, completion_tokens: 227, total_tokens: 244, prompt_tokens_details: { cached_tokens: 0, cache_write_tokens: 0 } },
  },
  'compaction.sse': {
    id: 'msg_01WJn2D9FrjipEZ9u51siJHC',
    model: 'claude-opus-4-6',
    // The compaction block (and its compaction_delta) has no OpenAI form.
    content: {
      startsWith: 'Based on the conversation history, you asked me to summarize',
      endsWith: 'walk through a particular problem, or cover another section?',
    },
    finish: 'stop',
    // The sums over `iterations` (the summary pass and the answer), as billed; the top level is the answer's alone.
    usage: usage(60_385 + 612, 0, 0, 522 + 2819),
  },
  'error-overloaded-midstream.sse': {
    id: 'msg_01QC4g3HwBThD4BaNtBckFDJ',
    model: 'claude-sonnet-4-5-20250929',
    content: HELLO,
    error: { message: 'Overloaded', type: 'overloaded_error', param: null, code: null },
  },
  'minimal-usage.sse': {
    id: 'msg_3196a1cc08de4d76b85b8f5777c0d42b',
    model: 'claude-opus-4-5-20251101',
    content: 'pong',
    finish: 'stop',
    // message_delta revises input from 43 to 61; no cache fields at all.
    usage: { prompt_tokens: 61, completion_tokens: 2, total_tokens: 63, prompt_tokens_details: { cached_tokens: 0, cache_write_tokens: 0 } },
  },
  'prompt-cache-write.sse': {
    id: 'msg_011CdYfpjpVtBoXyXCQD1tQP',
    model: 'claude-sonnet-5',
    // Two server-side bash_code_execution calls: no tool_calls for the client.
    content: 'The sum of the squares of the numbers 1 through 12 is **650**.',
    toolCalls: [],
    finish: 'stop',
    // 6 + 3,337 written + 6,289 read = 9,632; thinking_tokens 0 is reported.
    usage: usage(6, 3337, 6289, 198, 0),
  },
  'text.sse': {
    id: 'msg_01QC4g3HwBThD4BaNtBckFDJ',
    model: 'claude-sonnet-4-5-20250929',
    content: HELLO,
    finish: 'stop',
    usage: usage(12, 0, 0, 30),
  },
  'thinking-signature-text.sse': {
    id: 'msg_01Y6V41gqPaKWEw7iPouH7iW',
    model: 'claude-sonnet-4-5-20250929',
    content: '925 ÷ 5 = 185',
    reasoning: 'The previous result was 925. Now I need to divide that by 5.\n\n925 ÷ 5 = 185',
    finish: 'stop',
    usage: usage(69, 0, 0, 53),
  },
  'tool-use-no-args.sse': {
    id: 'msg_01GE2RKp1VYsPzdFs3sS9z5S',
    model: 'claude-sonnet-4-5-20250929',
    content: "I'll update the issue list for you.",
    toolCalls: [{ id: 'toolu_01QE1WLsSVp5hy5Q3GmGTmjP', name: 'updateIssueList', input: {} }],
    finish: 'tool_calls',
    usage: usage(565, 0, 0, 48),
  },
  'tool-use.sse': {
    id: 'msg_01K2JbSUMYhez5RHoK9ZCj9U',
    model: 'claude-haiku-4-5-20251001',
    content: '',
    toolCalls: [
      {
        id: 'toolu_01KFbKqPYSuAKujiL6mTfzYA',
        name: 'json',
        input: { elements: [{ location: 'San Francisco', temperature: 58, condition: 'sunny' }] },
      },
    ],
    finish: 'tool_calls',
    usage: usage(849, 0, 0, 47),
  },
  'web-search-citations.sse': {
    id: 'msg_01LHpEgU4KbfgXGVi3UtHQY1',
    model: 'claude-sonnet-4-20250514',
    // 21 blocks: server_tool_use, web_search_tool_result, text with citations.
    content: {
      startsWith: 'Based on my search results, here are the key tech news developments from today (September 26, 2025):\n\n## Apple News\n',
      endsWith: 'r 20 years since their first international retail expansion.',
    },
    toolCalls: [],
    finish: 'stop',
    usage: usage(15665, 0, 0, 795),
  },
};

describe('createAnthropicToOpenAIStreamTranslator on every recorded stream', () => {
  it('has an expectation for every fixture', () => {
    expect(Object.keys(expected).sort()).toEqual(fixtureNames);
  });

  it.each(fixtureNames)('%s', (name) => {
    const want = expected[name]!;
    const events = parseSse([readFixture(name)]);
    const frames = translate(events);
    const got = assemble(frames);
    const reference = readAnthropic(events);

    // Every chunk: same id, object, created and model; choice index 0.
    expect(got.chunks.length).toBeGreaterThan(0);
    for (const chunk of got.chunks) {
      expect(chunk.id).toBe(want.id);
      expect(chunk.object).toBe('chat.completion.chunk');
      expect(chunk.created).toBe(CREATED);
      expect(chunk.model).toBe(want.model);
      for (const choice of chunk.choices) expect(choice.index).toBe(0);
    }
    // The first chunk announces the role, with empty content.
    expect(got.chunks[0]!.choices).toEqual([{ index: 0, delta: { role: 'assistant', content: '' }, finish_reason: null }]);
    expect(got.chunks.filter((chunk) => chunk.choices.some((choice) => choice.delta.role !== undefined))).toHaveLength(1);

    // Text and thinking arrive whole, and match an independent reading.
    expect(got.content).toBe(reference.text);
    if (typeof want.content === 'string') expect(got.content).toBe(want.content);
    else {
      expect(got.content.startsWith(want.content.startsWith)).toBe(true);
      expect(got.content.endsWith(want.content.endsWith)).toBe(true);
    }
    expect(got.reasoning).toBe(want.reasoning ?? '');
    expect(got.reasoning).toBe(reference.thinking);

    // Tool calls: indices 0,1,… (checked in assemble), arguments parse to the input.
    const calls = got.toolCalls.map((call) => ({ id: call.id, name: call.name, input: JSON.parse(call.arguments) as unknown }));
    expect(calls).toEqual(reference.tools);
    if (want.toolCalls !== undefined) expect(calls).toEqual(want.toolCalls);

    const last = frames[frames.length - 1];
    if (want.error !== undefined) {
      // A failed stream: no finish reason, no usage, no [DONE]; the error is last.
      expect(got.finishReasons).toEqual([]);
      expect(got.usageChunks).toEqual([]);
      expect(last).toEqual({ type: 'error', body: { error: want.error } });
      expect(frames.filter((frame) => frame.type !== 'chunk')).toHaveLength(1);
      return;
    }
    // Exactly one finish reason, in a chunk with an empty delta.
    expect(got.finishReasons).toEqual([want.finish]);
    const finishChunk = got.chunks.find((chunk) => chunk.choices[0]?.finish_reason !== null && chunk.choices[0]?.finish_reason !== undefined)!;
    expect(finishChunk.choices[0]!.delta).toEqual({});
    // Then the usage chunk with no choices, then done, and nothing else.
    expect(got.usageChunks).toHaveLength(1);
    const usageChunk = got.usageChunks[0]!;
    expect(usageChunk.choices).toEqual([]);
    expect(usageChunk.usage).toEqual(want.usage);
    expect(frames.slice(-3)).toEqual([{ type: 'chunk', chunk: finishChunk }, { type: 'chunk', chunk: usageChunk }, { type: 'done' }]);
  });

  it.each(fixtureNames)('%s: the same frames with JSON.parse for every event', (name) => {
    const events = parseSse([readFixture(name)]);
    expect(translate(events, true, JSON.parse)).toEqual(translate(events));
  });

  it.each(fixtureNames)('%s without includeUsage: no usage chunk, still done', (name) => {
    const frames = translate(parseSse([readFixture(name)]), false);
    expect(assemble(frames).usageChunks).toEqual([]);
    const last = frames[frames.length - 1]!;
    expect(last.type).toBe(expected[name]!.error === undefined ? 'done' : 'error');
  });
});

describe('createAnthropicToOpenAIStreamTranslator with the stream cut anywhere', () => {
  const SMALL = 16 * 1024;

  // A full parse and translation per cut costs ~4 ms on the 98 KB fixture
  // (six minutes for all its cuts), so the two large ones get a stride plus
  // the cuts around every tenth event boundary here, and the per-event check
  // below covers every byte of them.
  it.each(fixtureNames)('%s: same frames for every 2-way cut', (name) => {
    const bytes = readFixture(name);
    const reference = JSON.stringify(translate(parseSse([bytes])));
    const cuts = new Set<number>();
    if (bytes.length <= SMALL) {
      for (let cut = 0; cut <= bytes.length; cut++) cuts.add(cut);
    } else {
      for (let cut = 0; cut <= bytes.length; cut += 499) cuts.add(cut);
      const buffer = Buffer.from(bytes);
      let boundary = 0;
      for (let at = buffer.indexOf('\n\n'); at !== -1; at = buffer.indexOf('\n\n', at + 2), boundary++) {
        if (boundary % 10 === 0) for (let cut = at; cut <= at + 2; cut++) cuts.add(cut);
      }
    }
    const bad = [...cuts].filter((cut) => JSON.stringify(translate(parseSse([bytes.subarray(0, cut), bytes.subarray(cut)]))) !== reference);
    expect(bad).toEqual([]);
  });

  // The parser is back in its initial state after each event's blank line, so
  // a cut inside event k can only change event k: cutting each event alone at
  // every byte covers every cut of the whole stream, at a fraction of the cost.
  it.each(fixtureNames.filter((name) => readFixture(name).length > SMALL))('%s: every byte of every event', (name) => {
    const bytes = readFixture(name);
    const buffer = Buffer.from(bytes);
    const whole = parseSse([bytes]);
    let start = 0;
    let index = 0;
    const bad: number[] = [];
    for (let end = buffer.indexOf('\n\n'); end !== -1; end = buffer.indexOf('\n\n', end + 2)) {
      const event = bytes.subarray(start, end + 2);
      const want = whole[index]!;
      for (let cut = 0; cut <= event.length; cut++) {
        const got = parseSse([event.subarray(0, cut), event.subarray(cut)]);
        if (got.length !== 1 || got[0]!.data !== want.data || got[0]!.event !== want.event) bad.push(start + cut);
      }
      start = end + 2;
      index++;
    }
    expect(index).toBe(whole.length);
    expect(bad).toEqual([]);
  });
});

describe('createAnthropicToOpenAIStreamTranslator edge cases', () => {
  const start = {
    type: 'message_start',
    message: {
      id: 'msg_1',
      type: 'message',
      role: 'assistant',
      model: 'claude-x',
      content: [],
      stop_reason: null,
      stop_sequence: null,
      usage: { input_tokens: 10, output_tokens: 1, cache_creation_input_tokens: 5, cache_read_input_tokens: 20 },
    },
  } as const satisfies AnthropicStreamEvent;

  function run(events: AnthropicStreamEvent[], options: { includeUsage?: boolean; model?: string; id?: string } = {}) {
    const translator = createAnthropicToOpenAIStreamTranslator({ includeUsage: options.includeUsage ?? true, created: 5, ...options });
    const frames = [...translator.start()];
    for (const event of events) frames.push(...translator.push(event));
    frames.push(...translator.end());
    return frames;
  }

  it('numbers tool calls among tool calls only, and skips server tool blocks', () => {
    const frames = run([
      start,
      { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } },
      { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'Checking.' } },
      { type: 'content_block_stop', index: 0 },
      { type: 'content_block_start', index: 1, content_block: { type: 'server_tool_use', id: 'srvtoolu_1', name: 'web_search', input: {} } },
      { type: 'content_block_delta', index: 1, delta: { type: 'input_json_delta', partial_json: '{"query":"x"}' } },
      { type: 'content_block_stop', index: 1 },
      { type: 'content_block_start', index: 2, content_block: { type: 'tool_use', id: 'toolu_a', name: 'a', input: {} } },
      { type: 'content_block_delta', index: 2, delta: { type: 'input_json_delta', partial_json: '{"x":' } },
      { type: 'content_block_delta', index: 2, delta: { type: 'input_json_delta', partial_json: '1}' } },
      { type: 'content_block_stop', index: 2 },
      { type: 'content_block_start', index: 3, content_block: { type: 'tool_use', id: 'toolu_b', name: 'b', input: {} } },
      { type: 'content_block_stop', index: 3 },
      { type: 'message_delta', delta: { stop_reason: 'tool_use', stop_sequence: null }, usage: { output_tokens: 40 } },
      { type: 'message_stop' },
    ]);
    const toolDeltas = chunksOf(frames).flatMap((chunk) => chunk.choices.flatMap((choice) => choice.delta.tool_calls ?? []));
    expect(toolDeltas).toEqual([
      { index: 0, id: 'toolu_a', type: 'function', function: { name: 'a', arguments: '' } },
      { index: 0, function: { arguments: '{"x":' } },
      { index: 0, function: { arguments: '1}' } },
      { index: 1, id: 'toolu_b', type: 'function', function: { name: 'b', arguments: '' } },
      // No input_json_delta at all: "{}" so the client's JSON.parse works.
      { index: 1, function: { arguments: '{}' } },
    ]);
    const usageChunk = chunksOf(frames).find((chunk) => chunk.usage)!;
    // 10 uncached + 5 written + 20 read.
    expect(usageChunk.usage).toEqual({
      prompt_tokens: 35,
      completion_tokens: 40,
      total_tokens: 75,
      prompt_tokens_details: { cached_tokens: 20, cache_write_tokens: 5 },
    });
  });

  it('sends an input that came whole in content_block_start as one arguments fragment', () => {
    const frames = run([
      start,
      { type: 'content_block_start', index: 0, content_block: { type: 'tool_use', id: 't', name: 'n', input: { a: [1, 2] } } },
      { type: 'content_block_stop', index: 0 },
      { type: 'message_delta', delta: { stop_reason: 'tool_use', stop_sequence: null }, usage: { output_tokens: 3 } },
      { type: 'message_stop' },
    ]);
    const args = chunksOf(frames).flatMap((chunk) => chunk.choices.flatMap((choice) => choice.delta.tool_calls ?? [])).map((call) => call.function?.arguments).join('');
    expect(JSON.parse(args)).toEqual({ a: [1, 2] });
  });

  it('uses the given id and model instead of the upstream ones', () => {
    const frames = run([start, { type: 'message_delta', delta: { stop_reason: 'end_turn', stop_sequence: null }, usage: { output_tokens: 1 } }, { type: 'message_stop' }], {
      id: 'chatcmpl-abc',
      model: 'alias',
    });
    for (const chunk of chunksOf(frames)) {
      expect(chunk.id).toBe('chatcmpl-abc');
      expect(chunk.model).toBe('alias');
    }
  });

  it.each([
    ['max_tokens', 'length'],
    ['model_context_window_exceeded', 'length'],
    ['refusal', 'content_filter'],
    ['pause_turn', 'stop'],
    ['stop_sequence', 'stop'],
  ] as const)('maps stop_reason %s to finish_reason %s', (stopReason, finishReason) => {
    const frames = run([start, { type: 'message_delta', delta: { stop_reason: stopReason, stop_sequence: null }, usage: { output_tokens: 1 } }, { type: 'message_stop' }]);
    expect(assemble(frames).finishReasons).toEqual([finishReason]);
  });

  it('sends one finish reason even with several message_delta events, and usage from the last', () => {
    const frames = run([
      start,
      { type: 'message_delta', delta: { stop_reason: 'end_turn', stop_sequence: null }, usage: { output_tokens: 5 } },
      { type: 'message_delta', delta: { stop_reason: 'end_turn', stop_sequence: null }, usage: { output_tokens: 9, input_tokens: 11 } },
      { type: 'message_stop' },
    ]);
    const got = assemble(frames);
    expect(got.finishReasons).toEqual(['stop']);
    expect(got.usageChunks[0]!.usage).toMatchObject({ prompt_tokens: 36, completion_tokens: 9 });
  });

  it('closes normally when only message_stop is missing', () => {
    const frames = run([start, { type: 'message_delta', delta: { stop_reason: 'end_turn', stop_sequence: null }, usage: { output_tokens: 2 } }]);
    expect(frames.map((frame) => frame.type)).toEqual(['chunk', 'chunk', 'chunk', 'done']);
  });

  it('fails a stream that ends before any stop reason', () => {
    const frames = run([start, { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } }]);
    expect(frames[frames.length - 1]).toEqual({
      type: 'error',
      body: { error: { message: 'The upstream stream ended before the response was complete.', type: 'api_error', param: null, code: null } },
    });
  });

  it('fails an empty stream without sending a role chunk', () => {
    expect(run([]).map((frame) => frame.type)).toEqual(['error']);
  });

  it('ignores everything after the end', () => {
    const translator = createAnthropicToOpenAIStreamTranslator({ includeUsage: false, created: 1 });
    translator.push(start);
    translator.push({ type: 'error', error: { type: 'api_error', message: 'boom' } });
    expect(translator.push({ type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'late' } })).toEqual([]);
    expect(translator.end()).toEqual([]);
  });

  it('ignores event and delta types it does not know', () => {
    const frames = run([
      start,
      { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } },
      { type: 'content_block_delta', index: 0, delta: { type: 'future_delta', x: 1 } as never },
      { type: 'future_event' } as never,
      { type: 'ping' },
      { type: 'content_block_stop', index: 0 },
      { type: 'message_delta', delta: { stop_reason: 'end_turn', stop_sequence: null }, usage: { output_tokens: 1 } },
      { type: 'message_stop' },
    ]);
    expect(frames.map((frame) => frame.type)).toEqual(['chunk', 'chunk', 'chunk', 'done']);
  });

  it('skips malformed events instead of throwing: not an object, a block event without its block or delta', () => {
    const frames = run([
      start,
      null as never,
      'text' as never,
      { type: 'content_block_start', index: 0 } as never,
      { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } },
      { type: 'content_block_delta', index: 0 } as never,
      { type: 'content_block_delta', index: 0, delta: 'x' } as never,
      { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'kept' } },
      { type: 'content_block_stop', index: 0 },
      { type: 'message_delta', delta: { stop_reason: 'end_turn', stop_sequence: null }, usage: { output_tokens: 1 } },
      { type: 'message_stop' },
    ]);
    expect(frames.map((frame) => frame.type)).toEqual(['chunk', 'chunk', 'chunk', 'chunk', 'done']);
  });
});

import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { AnthropicStreamEvent } from '../../protocol/anthropic/anthropic-stream-event.js';
import { encodeAnthropicEvent } from '../../protocol/anthropic/encode-anthropic-event.js';
import type { OpenAIChatCompletionChunk } from '../../protocol/openai/openai-chat-completion-chunk.js';
import { createSseParser } from '../../protocol/sse/create-sse-parser.js';
import type { ToolNameMap } from '../tool-name/tool-name-map.js';
import { createOpenAIToAnthropicStreamTranslator } from './create-openai-to-anthropic-stream-translator.js';
import { parseOpenAIStreamData } from './parse-openai-stream-data.js';
import { createFrozenRepeatedShapeParse } from '../../../test/support/create-frozen-repeated-shape-parse.js';

const STREAM_FIXTURES = new URL('../../../test/fixtures/openai/stream/', import.meta.url);
const identityNames: ToolNameMap = { toUpstream: (name) => name, toClient: (name) => name };

function createTranslator(options: { toolNames?: ToolNameMap; stopSequences?: string[] } = {}) {
  return createOpenAIToAnthropicStreamTranslator({
    toolNames: options.toolNames ?? identityNames,
    model: 'client-model',
    messageId: 'msg_test',
    ...(options.stopSequences === undefined ? {} : { stopSequences: options.stopSequences }),
  });
}

/**
 * The whole gateway path: bytes in pieces → SSE parser → parseOpenAIStreamData
 * (with the gateway's repeated-shape JSON parser, whose results share parts, so
 * they are frozen here: a translator that changed a chunk would throw) → translator.
 */
function translateBytes(pieces: Uint8Array[], parseJson?: (text: string) => unknown): AnthropicStreamEvent[] {
  const parser = createSseParser();
  const parse = parseJson ?? createFrozenRepeatedShapeParse();
  const translator = createTranslator();
  const events = translator.start();
  for (const piece of pieces) {
    for (const sse of parser.push(piece)) {
      const data = parseOpenAIStreamData(sse.data, parse);
      if (data.kind === 'done') events.push(...translator.end());
      else if (data.kind === 'error') events.push(...translator.fail(data.error.message));
      else events.push(...translator.push(data.chunk));
    }
  }
  parser.end();
  // The body ended: a stream whose `[DONE]` was never dispatched (no trailing blank line) still ends here.
  events.push(...translator.end());
  return events;
}

/** What the fixture says, read independently of the SSE parser and the translator. */
function readExpectations(text: string) {
  let content = '';
  let reasoning = '';
  const toolArguments = new Map<number, string>();
  const toolNames = new Map<number, string>();
  let usage: Record<string, unknown> | undefined;
  let finishReason: string | undefined;
  for (const line of text.split('\n')) {
    if (!line.startsWith('data: ') || line === 'data: [DONE]') continue;
    const chunk = JSON.parse(line.slice(6)) as OpenAIChatCompletionChunk;
    if (chunk.usage) usage = chunk.usage as unknown as Record<string, unknown>;
    for (const choice of chunk.choices) {
      content += choice.delta.content ?? '';
      reasoning += choice.delta.reasoning_content ?? choice.delta.reasoning ?? '';
      for (const call of choice.delta.tool_calls ?? []) {
        toolArguments.set(call.index, (toolArguments.get(call.index) ?? '') + (call.function?.arguments ?? ''));
        if (call.function?.name) toolNames.set(call.index, call.function.name);
      }
      if (choice.finish_reason) finishReason = choice.finish_reason;
    }
  }
  return { content, reasoning, toolArguments, toolNames, usage, finishReason };
}

interface Summary {
  blocks: Array<{ type: string; text: string; name?: string; id?: string }>;
  messageDelta: Extract<AnthropicStreamEvent, { type: 'message_delta' }>;
}

/**
 * The grammar every Anthropic client relies on (§3.2): message_start first,
 * blocks 0, 1, 2… opened in order, each closed before the next opens, deltas
 * only for the open block and of its kind, exactly one message_delta with
 * output_tokens after the last block, message_stop last.
 */
function assertGrammar(events: AnthropicStreamEvent[]): Summary {
  expect(events[0]?.type).toBe('message_start');
  expect(events.at(-1)?.type).toBe('message_stop');
  expect(events.filter((event) => event.type === 'message_start')).toHaveLength(1);
  expect(events.filter((event) => event.type === 'message_stop')).toHaveLength(1);
  const deltas = events.filter((event) => event.type === 'message_delta');
  expect(deltas).toHaveLength(1);
  expect(events.at(-2)?.type).toBe('message_delta');

  const blocks: Summary['blocks'] = [];
  let open: number | undefined;
  for (const event of events.slice(1, -2)) {
    switch (event.type) {
      case 'content_block_start': {
        expect(open).toBeUndefined();
        expect(event.index).toBe(blocks.length);
        open = event.index;
        const block = event.content_block;
        if (block.type === 'tool_use') {
          expect(block.input).toEqual({});
          expect(block.id).toMatch(/^[a-zA-Z0-9_-]+$/);
          blocks.push({ type: 'tool_use', text: '', name: block.name, id: block.id });
        } else if (block.type === 'thinking') {
          expect(block).toEqual({ type: 'thinking', thinking: '', signature: '' });
          blocks.push({ type: 'thinking', text: '' });
        } else {
          expect(block).toEqual({ type: 'text', text: '' });
          blocks.push({ type: 'text', text: '' });
        }
        break;
      }
      case 'content_block_delta': {
        expect(event.index).toBe(open);
        const block = blocks[event.index]!;
        const delta = event.delta;
        if (delta.type === 'text_delta') {
          expect(block.type).toBe('text');
          expect(delta.text).not.toBe('');
          block.text += delta.text;
        } else if (delta.type === 'thinking_delta') {
          expect(block.type).toBe('thinking');
          expect(delta.thinking).not.toBe('');
          block.text += delta.thinking;
        } else if (delta.type === 'input_json_delta') {
          expect(block.type).toBe('tool_use');
          expect(delta.partial_json).not.toBe('');
          block.text += delta.partial_json;
        } else {
          throw new Error(`unexpected delta ${delta.type}`);
        }
        break;
      }
      case 'content_block_stop':
        expect(event.index).toBe(open);
        open = undefined;
        break;
      default:
        throw new Error(`unexpected ${event.type} between message_start and message_delta`);
    }
  }
  expect(open).toBeUndefined();
  const messageDelta = deltas[0] as Summary['messageDelta'];
  expect(typeof messageDelta.usage.output_tokens).toBe('number');
  return { blocks, messageDelta };
}

/**
 * Where to cut a fixture in two. A full pipeline run per cut makes every cut
 * of the 50–120 KB recordings cost minutes (O(n²)), so, as in the SSE
 * parser's and the usage tap's tests, files up to 20 KB get every cut and
 * larger ones every cut in and around each SSE event after which the
 * translator does more than append one delta (block starts and stops, the
 * finish, usage and `[DONE]` events, the first and the last event), plus a
 * stride over the rest. A cut elsewhere can only change how the SSE parser
 * splits an event, which the parser's own tests cover cut by cut, and the
 * byte-at-a-time test above cuts at every boundary at once.
 * MIXROUTE_EXHAUSTIVE_SSE=1 cuts every file at every byte.
 */
function selectCuts(bytes: Uint8Array): number[] {
  const all = () => Array.from({ length: bytes.length + 1 }, (_, cut) => cut);
  if (process.env.MIXROUTE_EXHAUSTIVE_SSE === '1' || bytes.length <= 20_000) return all();
  // Byte offsets where each SSE event starts (and the end of the file).
  const starts = [0];
  for (let i = 1; i < bytes.length; i++) if (bytes[i] === 0x0a && bytes[i - 1] === 0x0a) starts.push(i + 1);
  if (starts.at(-1) !== bytes.length) starts.push(bytes.length);
  const eventCount = starts.length - 1;
  const interesting = new Set<number>([0, eventCount - 1]);
  const parser = createSseParser();
  const translator = createTranslator();
  translator.start();
  for (let event = 0; event < eventCount; event++) {
    for (const sse of parser.push(bytes.subarray(starts[event]!, starts[event + 1]!))) {
      const data = parseOpenAIStreamData(sse.data);
      const produced = data.kind === 'chunk' ? translator.push(data.chunk) : translator.end();
      if (!(produced.length === 1 && produced[0]!.type === 'content_block_delta')) interesting.add(event);
    }
  }
  const cuts = new Set<number>();
  for (const event of interesting) {
    const from = starts[Math.max(event - 1, 0)]!;
    const to = starts[Math.min(event + 2, eventCount)]!;
    for (let cut = from; cut <= to; cut++) cuts.add(cut);
  }
  for (let cut = 0; cut <= bytes.length; cut += 997) cuts.add(cut);
  cuts.add(bytes.length);
  return [...cuts].sort((a, b) => a - b);
}

/** Hand-checked from each fixture's usage chunk (see the comments). */
const EXPECTED: Record<string, { blockTypes: string[]; stopReason: string; usage: Record<string, number> }> = {
  // No usage chunk at all: zero usage, flushed by end().
  'anthropic-compat-tool-call.sse': {
    blockTypes: ['text', 'tool_use'],
    stopReason: 'tool_use',
    usage: { input_tokens: 0, output_tokens: 0, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 },
  },
  // prompt 18, cached 0, completion 219 (reasoning 205 included: total 237 = 18 + 219); usage in the finish chunk.
  'deepseek-reasoning.sse': {
    blockTypes: ['thinking', 'text'],
    stopReason: 'end_turn',
    usage: { input_tokens: 18, output_tokens: 219, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 },
  },
  // finish_reason length; prompt 13, completion 400.
  'deepseek-text.sse': {
    blockTypes: ['text'],
    stopReason: 'max_tokens',
    usage: { input_tokens: 13, output_tokens: 400, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 },
  },
  // prompt 339 of which 320 cached → 19 uncached; completion 83 (total 422 = 339 + 83).
  'deepseek-tool-call.sse': {
    blockTypes: ['thinking', 'tool_use'],
    stopReason: 'tool_use',
    usage: { input_tokens: 19, output_tokens: 83, cache_creation_input_tokens: 0, cache_read_input_tokens: 320 },
  },
  // prompt 16, completion 300; usage in a later chunk with choices: [].
  'text.sse': {
    blockTypes: ['text'],
    stopReason: 'end_turn',
    usage: { input_tokens: 16, output_tokens: 300, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 },
  },
  // prompt 12 of which 11 cached → 1; completion 2 + reasoning 340 = 342 (xAI: total 354 = 12 + 2 + 340).
  'xai-text.sse': {
    blockTypes: ['thinking', 'text'],
    stopReason: 'end_turn',
    usage: { input_tokens: 1, output_tokens: 342, cache_creation_input_tokens: 0, cache_read_input_tokens: 11 },
  },
  // prompt 307 of which 306 cached → 1; completion 26 + reasoning 227 = 253 (total 560 = 307 + 26 + 227).
  'xai-tool-call.sse': {
    blockTypes: ['thinking', 'tool_use'],
    stopReason: 'tool_use',
    usage: { input_tokens: 1, output_tokens: 253, cache_creation_input_tokens: 0, cache_read_input_tokens: 306 },
  },
};

const fixtureNames = readdirSync(STREAM_FIXTURES).filter((name) => name.endsWith('.sse')).sort();

describe('createOpenAIToAnthropicStreamTranslator with recorded streams', () => {
  it('has an expectation for every recorded OpenAI stream', () => {
    expect(fixtureNames).toEqual(Object.keys(EXPECTED).sort());
  });

  for (const name of fixtureNames) {
    describe(name, () => {
      const bytes = readFileSync(new URL(name, STREAM_FIXTURES));
      const text = bytes.toString('utf8');
      const expected = EXPECTED[name]!;
      const fixture = readExpectations(text);
      const events = translateBytes([bytes]);

      it('follows the Anthropic event grammar', () => {
        assertGrammar(events);
      });

      it('comes out the same with JSON.parse for every chunk', () => {
        expect(translateBytes([bytes], JSON.parse)).toEqual(events);
      });

      it('keeps every text, thinking and tool-call byte, in order', () => {
        const { blocks } = assertGrammar(events);
        expect(blocks.map((block) => block.type)).toEqual(expected.blockTypes);
        const texts = blocks.filter((block) => block.type === 'text').map((block) => block.text);
        expect(texts.join('')).toBe(fixture.content);
        const thinking = blocks.filter((block) => block.type === 'thinking').map((block) => block.text);
        expect(thinking.join('')).toBe(fixture.reasoning);
        const tools = blocks.filter((block) => block.type === 'tool_use');
        expect(tools).toHaveLength(fixture.toolArguments.size);
        [...fixture.toolArguments.keys()].forEach((index, position) => {
          const tool = tools[position]!;
          expect(tool.text).toBe(fixture.toolArguments.get(index));
          expect(JSON.parse(tool.text)).toEqual(JSON.parse(fixture.toolArguments.get(index)!));
          expect(tool.name).toBe(fixture.toolNames.get(index));
        });
      });

      it('maps the stop reason and the usage exactly', () => {
        const { messageDelta } = assertGrammar(events);
        expect(messageDelta.delta).toEqual({ stop_reason: expected.stopReason, stop_sequence: null });
        expect(messageDelta.usage).toEqual(expected.usage);
      });

      it('starts with zeroed usage, cache fields included', () => {
        const start = events[0] as Extract<AnthropicStreamEvent, { type: 'message_start' }>;
        expect(start.message).toEqual({
          id: 'msg_test',
          type: 'message',
          role: 'assistant',
          model: 'client-model',
          content: [],
          stop_reason: null,
          stop_sequence: null,
          usage: { input_tokens: 0, output_tokens: 0, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 },
        });
      });

      it('encodes every event as an SSE frame whose event name matches data.type', () => {
        const decoder = new TextDecoder();
        for (const event of events) {
          const frame = decoder.decode(encodeAnthropicEvent(event));
          expect(frame).toBe(`event: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`);
        }
      });

      it('gives the same events when fed one byte at a time (every boundary a chunk boundary)', () => {
        const pieces: Uint8Array[] = [];
        for (let i = 0; i < bytes.length; i++) pieces.push(bytes.subarray(i, i + 1));
        expect(JSON.stringify(translateBytes(pieces))).toBe(JSON.stringify(events));
      });

      it('gives the same events for every 2-way cut', () => {
        const baseline = JSON.stringify(events);
        const bad = selectCuts(bytes).filter(
          (cut) => JSON.stringify(translateBytes([bytes.subarray(0, cut), bytes.subarray(cut)])) !== baseline,
        );
        expect(bad).toEqual([]);
      });
    });
  }

  it('uses the tool-name map to restore the client\'s tool names', () => {
    const bytes = readFileSync(new URL('xai-tool-call.sse', STREAM_FIXTURES));
    const parser = createSseParser();
    const translator = createTranslator({
      toolNames: { toUpstream: (name) => name, toClient: (name) => (name === 'weather' ? 'mcp__weather.get' : name) },
    });
    const events = translator.start();
    for (const sse of parser.push(bytes)) {
      const data = parseOpenAIStreamData(sse.data);
      events.push(...(data.kind === 'chunk' ? translator.push(data.chunk) : translator.end()));
    }
    const starts = events.filter((event) => event.type === 'content_block_start');
    expect(starts.map((event) => event.content_block)).toContainEqual({
      type: 'tool_use',
      id: 'call_79382389',
      name: 'mcp__weather.get',
      input: {},
    });
  });
});

function chunk(delta: Record<string, unknown>, extra: Record<string, unknown> = {}): OpenAIChatCompletionChunk {
  return {
    id: 'chatcmpl-1',
    object: 'chat.completion.chunk',
    created: 1,
    model: 'upstream',
    choices: [{ index: 0, delta, finish_reason: null }],
    ...extra,
  } as OpenAIChatCompletionChunk;
}

function finishChunk(finishReason: string, usage?: Record<string, unknown>): OpenAIChatCompletionChunk {
  return {
    id: 'chatcmpl-1',
    object: 'chat.completion.chunk',
    created: 1,
    model: 'upstream',
    choices: [{ index: 0, delta: {}, finish_reason: finishReason }],
    ...(usage === undefined ? {} : { usage }),
  } as OpenAIChatCompletionChunk;
}

function usageChunk(usage: Record<string, unknown>): OpenAIChatCompletionChunk {
  return { id: 'chatcmpl-1', object: 'chat.completion.chunk', created: 1, model: 'upstream', choices: [], usage } as unknown as OpenAIChatCompletionChunk;
}

function run(chunks: OpenAIChatCompletionChunk[], options: Parameters<typeof createTranslator>[0] = {}) {
  const translator = createTranslator(options);
  const events = translator.start();
  for (const item of chunks) events.push(...translator.push(item));
  events.push(...translator.end());
  return events;
}

describe('createOpenAIToAnthropicStreamTranslator edge cases', () => {
  it('buffers interleaved parallel tool calls until the open one closes', () => {
    const events = run([
      chunk({ tool_calls: [{ index: 0, id: 'call_a', type: 'function', function: { name: 'a', arguments: '{"x":' } }] }),
      chunk({ tool_calls: [{ index: 1, id: 'call_b', type: 'function', function: { name: 'b', arguments: '{"y":' } }] }),
      chunk({ tool_calls: [{ index: 0, function: { arguments: '1}' } }] }),
      chunk({ tool_calls: [{ index: 1, function: { arguments: '2}' } }] }),
      finishChunk('tool_calls'),
    ]);
    const { blocks } = assertGrammar(events);
    expect(blocks).toEqual([
      { type: 'tool_use', text: '{"x":1}', name: 'a', id: 'call_a' },
      { type: 'tool_use', text: '{"y":2}', name: 'b', id: 'call_b' },
    ]);
  });

  it('streams sequential tool calls without buffering once the previous call is complete JSON', () => {
    const translator = createTranslator();
    translator.start();
    translator.push(chunk({ tool_calls: [{ index: 0, id: 'call_a', function: { name: 'a', arguments: '{"x":1}' } }] }));
    const second = translator.push(chunk({ tool_calls: [{ index: 1, id: 'call_b', function: { name: 'b', arguments: '{"y"' } }] }));
    expect(second.map((event) => event.type)).toEqual(['content_block_stop', 'content_block_start', 'content_block_delta']);
    expect(translator.push(chunk({ tool_calls: [{ index: 1, function: { arguments: ':2}' } }] }))).toEqual([
      { type: 'content_block_delta', index: 1, delta: { type: 'input_json_delta', partial_json: ':2}' } },
    ]);
  });

  it('holds message_delta until the usage chunk and sends it once', () => {
    const translator = createTranslator();
    translator.start();
    translator.push(chunk({ content: 'Hi' }));
    const atFinish = translator.push(finishChunk('stop'));
    expect(atFinish.map((event) => event.type)).toEqual(['content_block_stop']);
    const atUsage = translator.push(usageChunk({ prompt_tokens: 10, completion_tokens: 2, total_tokens: 12 }));
    expect(atUsage).toEqual([
      {
        type: 'message_delta',
        delta: { stop_reason: 'end_turn', stop_sequence: null },
        usage: { input_tokens: 10, output_tokens: 2, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 },
      },
      { type: 'message_stop' },
    ]);
    expect(translator.end()).toEqual([]);
    expect(translator.push(chunk({ content: 'late' }))).toEqual([]);
  });

  it('flushes with zero usage when no usage ever comes, even without a finish_reason', () => {
    const events = run([chunk({ content: 'cut short' })]);
    const { messageDelta } = assertGrammar(events);
    expect(messageDelta.delta.stop_reason).toBe('end_turn');
    expect(messageDelta.usage.output_tokens).toBe(0);
  });

  it('uses usage that arrived before the finish chunk if nothing newer comes', () => {
    const events = run([
      chunk({ content: 'a' }, { usage: { prompt_tokens: 5, completion_tokens: 1, total_tokens: 6 } }),
      finishChunk('stop'),
    ]);
    expect(assertGrammar(events).messageDelta.usage.output_tokens).toBe(1);
  });

  it('emits an empty message when the upstream sends no content', () => {
    const events = run([chunk({ role: 'assistant', content: '' }), finishChunk('stop', { prompt_tokens: 3, completion_tokens: 0, total_tokens: 3 })]);
    expect(events.map((event) => event.type)).toEqual(['message_start', 'message_delta', 'message_stop']);
  });

  it('says tool_use when a server finishes tool calls with "stop"', () => {
    const events = run([chunk({ tool_calls: [{ index: 0, id: 'c', function: { name: 't', arguments: '{}' } }] }), finishChunk('stop')]);
    expect(assertGrammar(events).messageDelta.delta.stop_reason).toBe('tool_use');
  });

  it('maps content_filter to refusal', () => {
    const events = run([chunk({ content: 'x' }), finishChunk('content_filter')]);
    expect(assertGrammar(events).messageDelta.delta.stop_reason).toBe('refusal');
  });

  it('reports a matched stop sequence when the server names it (vLLM stop_reason)', () => {
    const finish = finishChunk('stop');
    (finish.choices[0] as Record<string, unknown>).stop_reason = 'END';
    const events = run([chunk({ content: 'x' }), finish], { stopSequences: ['END'] });
    expect(assertGrammar(events).messageDelta.delta).toEqual({ stop_reason: 'stop_sequence', stop_sequence: 'END' });
  });

  it('switches blocks when reasoning resumes after text, and reads `reasoning` as well as `reasoning_content`', () => {
    const events = run([chunk({ reasoning: 'think' }), chunk({ content: 'say' }), chunk({ reasoning_content: 'more' }), finishChunk('stop')]);
    expect(assertGrammar(events).blocks).toEqual([
      { type: 'thinking', text: 'think' },
      { type: 'text', text: 'say' },
      { type: 'thinking', text: 'more' },
    ]);
  });

  it('does not double reasoning that a server sends under both names', () => {
    const events = run([chunk({ reasoning_content: 'x', reasoning: 'x' }), finishChunk('stop')]);
    expect(assertGrammar(events).blocks).toEqual([{ type: 'thinking', text: 'x' }]);
  });

  it('waits for a tool name that arrives after the first fragment', () => {
    const events = run([
      chunk({ tool_calls: [{ index: 0, id: 'call_1', function: { arguments: '{"a"' } }] }),
      chunk({ tool_calls: [{ index: 0, function: { name: 'late', arguments: ':1}' } }] }),
      finishChunk('tool_calls'),
    ]);
    expect(assertGrammar(events).blocks).toEqual([{ type: 'tool_use', text: '{"a":1}', name: 'late', id: 'call_1' }]);
  });

  it('sanitizes and synthesizes tool ids', () => {
    const events = run([
      chunk({ tool_calls: [{ index: 0, id: 'functions.Bash:0', function: { name: 'Bash', arguments: '{}' } }] }),
      chunk({ tool_calls: [{ index: 1, function: { name: 'NoId', arguments: '{}' } }] }),
      finishChunk('tool_calls'),
    ]);
    const ids = assertGrammar(events).blocks.map((block) => block.id);
    expect(ids[0]).toMatch(/^functions_Bash_0_[0-9a-f]{8}$/);
    expect(ids[1]).toBe('toolu_test_1');
  });

  it('translates a legacy streamed function_call', () => {
    const events = run([chunk({ function_call: { name: 'f', arguments: '{"a":' } }), chunk({ function_call: { arguments: '1}' } }), finishChunk('function_call')]);
    const { blocks, messageDelta } = assertGrammar(events);
    expect(blocks).toEqual([{ type: 'tool_use', text: '{"a":1}', name: 'f', id: 'toolu_test_function' }]);
    expect(messageDelta.delta.stop_reason).toBe('tool_use');
  });

  it('fails with an Anthropic error event and nothing after it', () => {
    const translator = createTranslator();
    translator.start();
    translator.push(chunk({ content: 'partial' }));
    expect(translator.fail('upstream connection reset')).toEqual([
      { type: 'error', error: { type: 'api_error', message: 'upstream connection reset' } },
    ]);
    expect(translator.fail('again')).toEqual([]);
    expect(translator.end()).toEqual([]);
    expect(translator.push(chunk({ content: 'more' }))).toEqual([]);
  });

  it('can fail with overloaded_error, which Claude Code retries', () => {
    expect(createTranslator().fail('Server overloaded', 'overloaded_error')).toEqual([
      { type: 'error', error: { type: 'overloaded_error', message: 'Server overloaded' } },
    ]);
  });

  it('starts by itself when push comes first, and only once', () => {
    const translator = createTranslator();
    const first = translator.push(chunk({ content: 'a' }));
    expect(first[0]?.type).toBe('message_start');
    expect(translator.start()).toEqual([]);
  });

  it('ignores choices other than the first', () => {
    const events = run([
      {
        id: 'x',
        object: 'chat.completion.chunk',
        created: 1,
        model: 'm',
        choices: [
          { index: 1, delta: { content: 'other' }, finish_reason: null },
          { index: 0, delta: { content: 'mine' }, finish_reason: null },
        ],
      },
      finishChunk('stop'),
    ]);
    expect(assertGrammar(events).blocks).toEqual([{ type: 'text', text: 'mine' }]);
  });
});

import type { AnthropicContentBlock } from '../../protocol/anthropic/anthropic-content-block.js';
import type { AnthropicErrorType } from '../../protocol/anthropic/anthropic-error-body.js';
import type { AnthropicStreamEvent } from '../../protocol/anthropic/anthropic-stream-event.js';
import type { OpenAIChatCompletionChunk } from '../../protocol/openai/openai-chat-completion-chunk.js';
import type { OpenAIUsage } from '../../protocol/openai/openai-usage.js';
import type { ToolNameMap } from '../tool-name/tool-name-map.js';
import { convertOpenAIUsageToAnthropic } from './convert-openai-usage-to-anthropic.js';
import { convertToolCallIdToToolUseId } from './convert-tool-call-id-to-tool-use-id.js';
import { mapFinishReasonToStopReason } from './map-finish-reason-to-stop-reason.js';
import { resolveMatchedStopSequence } from './resolve-matched-stop-sequence.js';

export interface OpenAIToAnthropicStreamTranslator {
  /** `message_start`. Called once when the response is committed; `push` calls it if the caller did not. */
  start(): AnthropicStreamEvent[];
  /** Translates one upstream chunk (from `parseOpenAIStreamData`). */
  push(chunk: OpenAIChatCompletionChunk): AnthropicStreamEvent[];
  /**
   * The upstream stream is complete (`[DONE]`, or the body ended cleanly):
   * closes what is open and sends the held `message_delta` (with zero usage
   * if the upstream never reported any) and `message_stop`.
   */
  end(): AnthropicStreamEvent[];
  /**
   * The upstream failed after the response was committed: an Anthropic
   * `error` event and nothing after it. Open blocks are not closed; the error
   * replaces the rest of the stream, as Anthropic's own mid-stream errors do.
   * `type` defaults to `api_error`; pass `overloaded_error` for an upstream
   * overload, which Claude Code retries.
   */
  fail(message: string, type?: AnthropicErrorType): AnthropicStreamEvent[];
  /**
   * The index of the open block that a chunk adding only non-empty text of
   * this kind would extend with one delta and nothing else; undefined when
   * such a chunk would do more (start the message, close a block, open one)
   * or nothing (the answer is finished). Lets a caller that recognizes such
   * chunks without parsing them write the delta itself; the translator's state
   * is the same either way.
   */
  openBlockFor(kind: 'text' | 'thinking'): number | undefined;
}

interface ToolCallState {
  id: string | undefined;
  name: string | undefined;
  /** All argument text received, sent or not. */
  arguments: string;
  /** Its Anthropic block index, once opened. */
  blockIndex: number | undefined;
  closed: boolean;
  /** Memo of whether `arguments` parsed as complete JSON, and at which length. */
  completeAtLength: number;
  complete: boolean;
}

type OpenBlock = { kind: 'thinking' | 'text'; index: number } | { kind: 'tool'; index: number; key: number };

/** The key of a legacy streamed `function_call` (it has no index). */
const LEGACY_FUNCTION_CALL_KEY = -1;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function nonEmptyString(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** The choice a single-answer translation follows: index 0, or the only one. */
function firstChoice(choices: OpenAIChatCompletionChunk['choices']): OpenAIChatCompletionChunk['choices'][number] | undefined {
  for (const choice of choices) if (choice.index === 0) return choice;
  return choices.length === 1 ? choices[0] : undefined;
}

/**
 * Translates an OpenAI Chat Completions stream into Anthropic Messages stream
 * events (serving a streamed `/v1/messages` from an OpenAI-compatible
 * upstream). Sans-IO: chunks in, events out; parsing SSE, `[DONE]`, pings
 * during upstream silence and writing bytes belong to the caller.
 *
 * - `message_start` carries zeroed usage, cache fields included (LiteLLM does
 *   this so Claude Code sees that caching is reported); the real counts go in
 *   the final `message_delta`, which clients apply over the start values.
 * - Blocks open lazily, by delta kind: `reasoning_content`/`reasoning` →
 *   `thinking`, `content`/`refusal` → `text`, a tool call → `tool_use`. A
 *   change of kind closes the open block first, so indices run 0, 1, 2… and
 *   every block is closed before the next opens, as the SDK accumulators
 *   require. Empty deltas never open a block or send a delta.
 * - Thinking blocks start with `signature: ""` and get no `signature_delta`:
 *   there is no signature to send (the upstream is not Anthropic), the SDK's
 *   MessageStream accepts a thinking block without one, and the empty string
 *   marks the block as unsigned, exactly as in the non-streaming translation.
 * - Parallel tool calls: OpenAI may interleave fragments of several calls by
 *   `index`; Anthropic blocks cannot interleave. A call's block opens when
 *   its first fragment arrives if no other tool block is open, or if the open
 *   one's arguments already parse as complete JSON (the call is finished, so
 *   closing it loses nothing; this keeps sequential calls streaming).
 *   Otherwise the call is buffered and sent whole when the open one closes.
 *   A fragment for a call whose block has been closed cannot be delivered
 *   and is dropped (only a broken upstream sends one).
 * - On `finish_reason` the open block closes and buffered calls are sent,
 *   but `message_delta` is held until usage is known: usage arrives in the
 *   same chunk (DeepSeek), in a later chunk with `choices: []` (OpenAI with
 *   `include_usage`), or never; then `end()` sends it with zero usage.
 *   `output_tokens` is always present. Anything after `message_stop` is
 *   ignored.
 * @see ../../../../shared/protocol/anthropic-protocol.md §3.2, §3.3, §7.4, §7.6, §7.7
 */
export function createOpenAIToAnthropicStreamTranslator(options: {
  toolNames: ToolNameMap;
  /** The model name reported to the client. */
  model: string;
  messageId: string;
  /** The client's `stop_sequences`, to recognize a match the upstream reports. */
  stopSequences?: string[];
}): OpenAIToAnthropicStreamTranslator {
  const { toolNames, model, messageId, stopSequences } = options;
  let started = false;
  let done = false;
  let finishSeen = false;
  let finishReason: string | null = null;
  let matchedStopSequence: string | undefined;
  let usage: OpenAIUsage | undefined;
  let nextBlockIndex = 0;
  let current: OpenBlock | undefined;
  const toolCalls = new Map<number, ToolCallState>();
  let lastToolKey: number | undefined;

  function start(): AnthropicStreamEvent[] {
    if (started) return [];
    started = true;
    return [
      {
        type: 'message_start',
        message: {
          id: messageId,
          type: 'message',
          role: 'assistant',
          model,
          content: [],
          stop_reason: null,
          stop_sequence: null,
          usage: { input_tokens: 0, output_tokens: 0, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 },
        },
      },
    ];
  }

  function closeCurrent(events: AnthropicStreamEvent[]): void {
    if (current === undefined) return;
    events.push({ type: 'content_block_stop', index: current.index });
    if (current.kind === 'tool') {
      const state = toolCalls.get(current.key);
      if (state !== undefined) state.closed = true;
    }
    current = undefined;
  }

  function openBlock(events: AnthropicStreamEvent[], block: AnthropicContentBlock): number {
    closeCurrent(events);
    const index = nextBlockIndex++;
    events.push({ type: 'content_block_start', index, content_block: block });
    return index;
  }

  function appendText(events: AnthropicStreamEvent[], kind: 'thinking' | 'text', text: string): void {
    if (current?.kind !== kind) {
      const block: AnthropicContentBlock =
        kind === 'thinking' ? { type: 'thinking', thinking: '', signature: '' } : { type: 'text', text: '' };
      current = { kind, index: openBlock(events, block) };
    }
    events.push({
      type: 'content_block_delta',
      index: current.index,
      delta: kind === 'thinking' ? { type: 'thinking_delta', thinking: text } : { type: 'text_delta', text },
    });
  }

  function openToolBlock(events: AnthropicStreamEvent[], key: number, state: ToolCallState): void {
    const upstreamId = state.id ?? `toolu_${messageId.replace(/^msg_/, '')}_${key < 0 ? 'function' : key}`;
    const index = openBlock(events, {
      type: 'tool_use',
      id: convertToolCallIdToToolUseId(upstreamId),
      name: toolNames.toClient(state.name ?? ''),
      input: {},
    });
    state.blockIndex = index;
    current = { kind: 'tool', index, key };
    if (state.arguments !== '') {
      events.push({ type: 'content_block_delta', index, delta: { type: 'input_json_delta', partial_json: state.arguments } });
    }
  }

  function isComplete(state: ToolCallState): boolean {
    if (state.completeAtLength !== state.arguments.length) {
      state.completeAtLength = state.arguments.length;
      try {
        JSON.parse(state.arguments);
        state.complete = true;
      } catch {
        state.complete = false;
      }
    }
    return state.complete;
  }

  function resolveToolKey(fragment: Record<string, unknown>): number {
    if (typeof fragment.index === 'number') return fragment.index;
    // Servers that omit `index`: a new id starts a new call, otherwise the last call continues.
    if (typeof fragment.id === 'string' && fragment.id !== '') {
      for (const [key, state] of toolCalls) if (state.id === fragment.id) return key;
      return toolCalls.size === 0 ? 0 : Math.max(...toolCalls.keys()) + 1;
    }
    return lastToolKey ?? 0;
  }

  function pushToolFragment(
    events: AnthropicStreamEvent[],
    key: number,
    id: unknown,
    name: unknown,
    argumentText: unknown,
  ): void {
    lastToolKey = key;
    let state = toolCalls.get(key);
    if (state === undefined) {
      state = { id: undefined, name: undefined, arguments: '', blockIndex: undefined, closed: false, completeAtLength: -1, complete: false };
      toolCalls.set(key, state);
    }
    if (state.closed) return;
    if (state.id === undefined && typeof id === 'string' && id !== '') state.id = id;
    if (state.name === undefined && typeof name === 'string' && name !== '') state.name = name;
    const text = typeof argumentText === 'string' ? argumentText : '';
    state.arguments += text;

    if (current?.kind === 'tool' && current.key === key) {
      if (text !== '') {
        events.push({ type: 'content_block_delta', index: current.index, delta: { type: 'input_json_delta', partial_json: text } });
      }
      return;
    }
    if (state.name === undefined) return; // cannot open a tool_use block without its name yet
    if (current?.kind === 'tool') {
      const open = toolCalls.get(current.key);
      if (open !== undefined && !isComplete(open)) return; // interleaved: buffer until the open call closes
    }
    openToolBlock(events, key, state);
  }

  /** Closes the open block and sends every call still buffered, each whole. */
  function closeAll(events: AnthropicStreamEvent[]): void {
    closeCurrent(events);
    for (const [key, state] of toolCalls) {
      if (state.blockIndex !== undefined || state.closed) continue;
      openToolBlock(events, key, state);
      closeCurrent(events);
    }
  }

  function finish(events: AnthropicStreamEvent[]): void {
    const stopReason = mapFinishReasonToStopReason({ finishReason, sawToolCalls: toolCalls.size > 0, matchedStopSequence });
    events.push({
      type: 'message_delta',
      delta: { stop_reason: stopReason, stop_sequence: stopReason === 'stop_sequence' ? (matchedStopSequence ?? null) : null },
      usage: convertOpenAIUsageToAnthropic({ usage }),
    });
    events.push({ type: 'message_stop' });
    done = true;
  }

  return {
    start,

    push(chunk) {
      if (done) return [];
      const events = start();
      const chunkUsage = isRecord(chunk.usage) ? chunk.usage : undefined;
      if (chunkUsage !== undefined) usage = chunkUsage;

      const choices = Array.isArray(chunk.choices) ? chunk.choices : [];
      const choice = firstChoice(choices);
      if (choice !== undefined && !finishSeen) {
        const delta: Record<string, unknown> = isRecord(choice.delta) ? choice.delta : {};
        // Some servers send the same text under both names; taking one avoids doubling it.
        const reasoning = nonEmptyString(delta.reasoning_content) ?? nonEmptyString(delta.reasoning);
        if (reasoning !== undefined) appendText(events, 'thinking', reasoning);
        const content = nonEmptyString(delta.content);
        if (content !== undefined) appendText(events, 'text', content);
        const refusal = nonEmptyString(delta.refusal);
        if (refusal !== undefined) appendText(events, 'text', refusal);
        if (Array.isArray(delta.tool_calls)) {
          for (const fragment of delta.tool_calls as unknown[]) {
            if (!isRecord(fragment)) continue;
            const fn = isRecord(fragment.function) ? fragment.function : {};
            pushToolFragment(events, resolveToolKey(fragment), fragment.id, fn.name, fn.arguments);
          }
        }
        if (isRecord(delta.function_call)) {
          pushToolFragment(events, LEGACY_FUNCTION_CALL_KEY, undefined, delta.function_call.name, delta.function_call.arguments);
        }
        if (choice.finish_reason !== null && choice.finish_reason !== undefined) {
          finishSeen = true;
          finishReason = choice.finish_reason;
          matchedStopSequence = resolveMatchedStopSequence({ choice, stopSequences });
          closeAll(events);
          if (chunkUsage !== undefined) finish(events);
        }
      } else if (finishSeen && chunkUsage !== undefined) {
        finish(events);
      }
      return events;
    },

    end() {
      if (done) return [];
      const events = start();
      closeAll(events);
      finish(events);
      return events;
    },

    fail(message, type = 'api_error') {
      if (done) return [];
      done = true;
      return [{ type: 'error', error: { type, message } }];
    },

    openBlockFor(kind) {
      return started && !done && !finishSeen && current?.kind === kind ? current.index : undefined;
    },
  };
}

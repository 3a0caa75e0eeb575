import type { AnthropicStreamEvent } from '../../protocol/anthropic/anthropic-stream-event.js';
import type { AnthropicUsage } from '../../protocol/anthropic/anthropic-usage.js';
import type {
  OpenAIChatCompletionChunk,
  OpenAIChatCompletionChunkDelta,
} from '../../protocol/openai/openai-chat-completion-chunk.js';
import type { OpenAIFinishReason } from '../../protocol/openai/openai-finish-reason.js';
import type { OpenAIStreamFrame } from '../../protocol/openai/openai-stream-frame.js';
import { convertAnthropicUsageToOpenAI } from './convert-anthropic-usage-to-openai.js';
import { mapStopReasonToFinishReason } from './map-stop-reason-to-finish-reason.js';

export interface AnthropicToOpenAIStreamTranslator {
  /** Nothing to send before the upstream speaks: the id comes from its `message_start`. */
  start(): OpenAIStreamFrame[];
  /** One parsed upstream event in, the client frames it completes out. */
  push(event: AnthropicStreamEvent): OpenAIStreamFrame[];
  /** The upstream stream ended (cleanly or not); flushes or fails what is left. */
  end(): OpenAIStreamFrame[];
  /**
   * What the one chunk a non-empty `text_delta` (kind `text`) or
   * `thinking_delta` (`thinking`) becomes is, as JSON.stringify writes it,
   * before and after its text's JSON string literal; undefined when such a
   * delta would do more than send that chunk (the stream has not started) or
   * nothing (it is closed). Lets a caller that recognizes such deltas without
   * parsing them write the chunk itself; the translator's state is the same
   * either way.
   */
  textChunkAround(kind: 'text' | 'thinking'): { before: string; after: string } | undefined;
}

interface ToolCallState {
  /** Position among tool calls only (text and thinking blocks don't count). */
  index: number;
  /** The `input` of `content_block_start`, used if no input_json_delta follows. */
  input: unknown;
  sentArguments: boolean;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** An event object whose block events carry their block or delta object. */
function isWellFormed(event: unknown): boolean {
  if (!isRecord(event)) return false;
  if (event.type === 'content_block_start') return isRecord(event.content_block);
  if (event.type === 'content_block_delta') return isRecord(event.delta);
  return true;
}

/** Used only if content arrives before any `message_start` (a broken upstream). */
const FALLBACK_ID = 'chatcmpl-mixroute';

/**
 * A sans-IO state machine turning an Anthropic Messages event stream into the
 * frames of a Chat Completions stream.
 *
 * - `message_start` → first chunk `delta: {role: "assistant", content: ""}`.
 * - `text_delta` → `content`; `thinking_delta` → `reasoning_content`;
 *   `signature_delta` and `citations_delta` have no OpenAI form and are dropped.
 * - `tool_use` start → `tool_calls: [{index k, id, type, function: {name, arguments: ""}}]`,
 *   k counting tool calls only; `input_json_delta` → more `arguments`. A call
 *   whose input came whole in its start event (or is empty) gets it as one
 *   `arguments` fragment at its stop, so `arguments` always parses: `""` would
 *   make every OpenAI client's JSON.parse throw.
 * - Server-tool blocks (`server_tool_use`, `*_tool_result`) and unknown blocks
 *   are skipped: their work already shows in the text that follows.
 * - The first `message_delta` with a stop reason → one chunk with `delta: {}`
 *   and `finish_reason`. Usage is cumulative and may still change in later
 *   `message_delta`s, so the usage chunk (`choices: []`, only with
 *   `includeUsage`) waits for `message_stop`, followed by `done`.
 * - `error` → an error frame, and nothing after it (no `[DONE]`: the OpenAI
 *   SDK throws on the error, and `[DONE]` would announce a success).
 * - `ping` → nothing; a second `message_start` → ignored.
 * - `end()` after a finish reason but before `message_stop` closes normally;
 *   `end()` before any finish reason is a truncated stream → error frame.
 *
 * Every chunk carries the same id, `created` and model.
 *
 * @see ../../../../shared/protocol/anthropic-protocol.md §3, §7.5
 */
export function createAnthropicToOpenAIStreamTranslator(options: {
  includeUsage: boolean;
  /** Unix seconds, the same for every chunk. */
  created: number;
  /** The model name to report; defaults to the one in `message_start`. */
  model?: string;
  /** The chunk id; defaults to the Anthropic message id. */
  id?: string;
}): AnthropicToOpenAIStreamTranslator {
  let id = options.id ?? FALLBACK_ID;
  let model = options.model ?? '';
  let started = false;
  let finishReason: OpenAIFinishReason | undefined;
  let closed = false;
  let usage: AnthropicUsage = {};
  const toolCalls = new Map<number, ToolCallState>();
  let nextToolCallIndex = 0;

  function chunkOf(delta: OpenAIChatCompletionChunkDelta, finish: OpenAIFinishReason | null = null): OpenAIChatCompletionChunk {
    return {
      id,
      object: 'chat.completion.chunk',
      created: options.created,
      model,
      choices: [{ index: 0, delta, finish_reason: finish }],
    };
  }

  function chunk(delta: OpenAIChatCompletionChunkDelta, finish: OpenAIFinishReason | null = null): OpenAIStreamFrame {
    return { type: 'chunk', chunk: chunkOf(delta, finish) };
  }

  // Built once the stream has started (id and model are final then), per kind.
  const textChunkParts = new Map<'text' | 'thinking', { before: string; after: string }>();

  function ensureStarted(frames: OpenAIStreamFrame[]): void {
    if (started) return;
    started = true;
    frames.push(chunk({ role: 'assistant', content: '' }));
  }

  /** Last value wins, and null never overwrites: message_delta usage is cumulative. */
  function mergeUsage(next: AnthropicUsage | null | undefined): void {
    if (typeof next !== 'object' || next === null) return;
    const merged: AnthropicUsage = { ...usage };
    for (const [key, value] of Object.entries(next)) {
      if (value !== null && value !== undefined) merged[key] = value;
    }
    usage = merged;
  }

  function finish(frames: OpenAIStreamFrame[], reason: OpenAIFinishReason): void {
    if (finishReason !== undefined) return;
    ensureStarted(frames);
    finishReason = reason;
    frames.push(chunk({}, reason));
  }

  function close(frames: OpenAIStreamFrame[]): void {
    finish(frames, 'stop');
    if (options.includeUsage) {
      frames.push({
        type: 'chunk',
        chunk: {
          id,
          object: 'chat.completion.chunk',
          created: options.created,
          model,
          choices: [],
          usage: convertAnthropicUsageToOpenAI({ usage }),
        },
      });
    }
    frames.push({ type: 'done' });
    closed = true;
  }

  function fail(frames: OpenAIStreamFrame[], type: string, message: string): void {
    frames.push({ type: 'error', body: { error: { message, type, param: null, code: null } } });
    closed = true;
  }

  return {
    start() {
      return [];
    },

    push(event) {
      const frames: OpenAIStreamFrame[] = [];
      // An upstream's malformed event (`data: null`, a block event without its block) is skipped like an unknown one.
      if (closed || !isWellFormed(event)) return frames;
      switch (event.type) {
        case 'message_start': {
          // A repeated message_start is an upstream fault (the Anthropic SDK
          // rejects it); the stream that follows is still worth delivering.
          if (started) break;
          const message = event.message;
          if (options.id === undefined && typeof message?.id === 'string') id = message.id;
          if (options.model === undefined && typeof message?.model === 'string') model = message.model;
          mergeUsage(message?.usage);
          ensureStarted(frames);
          break;
        }
        case 'content_block_start': {
          ensureStarted(frames);
          const block = event.content_block;
          switch (block.type) {
            case 'text':
              if (typeof block.text === 'string' && block.text !== '') frames.push(chunk({ content: block.text }));
              break;
            case 'thinking':
              if (typeof block.thinking === 'string' && block.thinking !== '') {
                frames.push(chunk({ reasoning_content: block.thinking }));
              }
              break;
            case 'tool_use': {
              const state: ToolCallState = { index: nextToolCallIndex++, input: block.input, sentArguments: false };
              toolCalls.set(event.index, state);
              frames.push(
                chunk({
                  tool_calls: [{ index: state.index, id: block.id, type: 'function', function: { name: block.name, arguments: '' } }],
                }),
              );
              break;
            }
            default:
              break;
          }
          break;
        }
        case 'content_block_delta': {
          ensureStarted(frames);
          const delta = event.delta;
          switch (delta.type) {
            case 'text_delta':
              if (delta.text !== '') frames.push(chunk({ content: delta.text }));
              break;
            case 'thinking_delta':
              if (delta.thinking !== '') frames.push(chunk({ reasoning_content: delta.thinking }));
              break;
            case 'input_json_delta': {
              // Deltas of server_tool_use blocks have no tool call to go to.
              const state = toolCalls.get(event.index);
              if (state === undefined || delta.partial_json === '') break;
              state.sentArguments = true;
              frames.push(chunk({ tool_calls: [{ index: state.index, function: { arguments: delta.partial_json } }] }));
              break;
            }
            default:
              break;
          }
          break;
        }
        case 'content_block_stop': {
          const state = toolCalls.get(event.index);
          if (state !== undefined && !state.sentArguments) {
            state.sentArguments = true;
            const input = typeof state.input === 'object' && state.input !== null ? state.input : {};
            frames.push(chunk({ tool_calls: [{ index: state.index, function: { arguments: JSON.stringify(input) } }] }));
          }
          break;
        }
        case 'message_delta':
          mergeUsage(event.usage);
          if (event.delta?.stop_reason !== null && event.delta?.stop_reason !== undefined) {
            finish(frames, mapStopReasonToFinishReason(event.delta.stop_reason));
          }
          break;
        case 'message_stop':
          close(frames);
          break;
        case 'error':
          fail(
            frames,
            typeof event.error?.type === 'string' ? event.error.type : 'api_error',
            typeof event.error?.message === 'string' ? event.error.message : 'The upstream stream failed.',
          );
          break;
        default:
          // ping, and event types added later.
          break;
      }
      return frames;
    },

    textChunkAround(kind) {
      if (!started || closed) return undefined;
      let parts = textChunkParts.get(kind);
      if (parts === undefined) {
        // The delta is the chunk's last string: everything after its literal is fixed punctuation and null.
        const text = JSON.stringify(chunkOf(kind === 'text' ? { content: '' } : { reasoning_content: '' }));
        const key = kind === 'text' ? '"content":' : '"reasoning_content":';
        const at = text.lastIndexOf(`${key}""`) + key.length;
        parts = { before: text.slice(0, at), after: text.slice(at + 2) };
        textChunkParts.set(kind, parts);
      }
      return parts;
    },

    end() {
      const frames: OpenAIStreamFrame[] = [];
      if (closed) return frames;
      // With a finish reason the answer is complete and only message_stop
      // went missing; without one the client must not mistake a truncated
      // answer for a whole one.
      if (finishReason !== undefined) close(frames);
      else fail(frames, 'api_error', 'The upstream stream ended before the response was complete.');
      return frames;
    },
  };
}

import { readOpenAIStreamSummary } from '../metering/openai-usage-reader.js';
import { createOpenAIStreamUsageAccumulator } from '../metering/create-openai-stream-usage-tap.js';
import type { AnthropicStreamEvent } from '../protocol/anthropic/anthropic-stream-event.js';
import { encodeAnthropicDeltaAsText, encodeAnthropicEvents, encodeAnthropicEventsAsText } from '../protocol/anthropic/encode-anthropic-events.js';
import { createRepeatedShapeJsonParser } from '../protocol/json/create-repeated-shape-json-parser.js';
import type { OpenAIChatCompletionChunk } from '../protocol/openai/openai-chat-completion-chunk.js';
import { createSseParser } from '../protocol/sse/create-sse-parser.js';
import { createOpenAITextDeltaRecognizer } from '../translation/openai-to-anthropic/create-openai-text-delta-recognizer.js';
import { createOpenAIToAnthropicStreamTranslator } from '../translation/openai-to-anthropic/create-openai-to-anthropic-stream-translator.js';
import { parseOpenAIStreamData } from '../translation/openai-to-anthropic/parse-openai-stream-data.js';
import type { ToolNameMap } from '../translation/tool-name/tool-name-map.js';
import type { StreamTransform } from './stream-transform.js';

/** Chunks read in full before a stream's JSON is read with a repeated-shape parser. */
const CHUNKS_BEFORE_TEMPLATES = 8;

function hasFinishReason(chunk: OpenAIChatCompletionChunk): boolean {
  for (const choice of chunk.choices) if (choice?.finish_reason) return true;
  return false;
}

/**
 * A Chat Completions stream, as bytes, becomes an Anthropic Messages stream
 * (an Anthropic client on an OpenAI-compatible channel), with the upstream's
 * usage read on the way.
 *
 * Most chunks only add the next piece of text. Those the text delta
 * recognizer knows (see createOpenAITextDeltaRecognizer) go straight to the
 * client as a delta of the open block, their JSON never parsed; every other
 * chunk is parsed and translated, and teaches the recognizer. The bytes the
 * client gets are the same either way (`recognizeTextDeltas: false`, for
 * tests, turns recognition off).
 */
export function createOpenAIToAnthropicStreamTransform(options: {
  toolNames: ToolNameMap;
  /** The model name reported to the client. */
  model: string;
  messageId: string;
  stopSequences?: string[] | undefined;
  recognizeTextDeltas?: boolean;
}): StreamTransform & { readonly recognized: number } {
  const parser = createSseParser();
  // Chunks read in full: JSON.parse for the few of a text stream (its first, its finish, its usage), and a
  // repeated-shape parser once there are many (tool call arguments): their chunks repeat one shape with
  // new strings, cheaper to read than to JSON.parse anew, but each shape costs a template to learn.
  let chunksRead = 0;
  let parseJson: (text: string) => unknown = JSON.parse;
  const usage = createOpenAIStreamUsageAccumulator();
  const translator = createOpenAIToAnthropicStreamTranslator({
    toolNames: options.toolNames,
    model: options.model,
    messageId: options.messageId,
    ...(options.stopSequences ? { stopSequences: options.stopSequences } : {}),
  });
  const recognizer = options.recognizeTextDeltas === false ? undefined : createOpenAITextDeltaRecognizer();
  let started = false;
  let finished = false;
  let sawFinish = false;

  const transform = {
    /** Chunks sent as recognized text deltas. */
    recognized: 0,
    push(chunk: Buffer): Buffer | undefined {
      if (finished) return undefined;
      let text = '';
      // Events of chunks read in full, not yet encoded: encoded in order before any recognized delta.
      let events: AnthropicStreamEvent[] = [];
      if (!started) {
        started = true;
        events.push(...translator.start());
      }
      for (const event of parser.push(chunk)) {
        if (finished) break;
        const data = event.data;
        const delta = recognizer?.recognize(data);
        if (delta !== undefined) {
          const index = translator.openBlockFor(delta.kind);
          if (index !== undefined) {
            // What parsing would do: the usage sees the chunk (only its model counts, the same as the template's).
            usage.chunk(delta.like);
            transform.recognized++;
            if (delta.literal !== '""') {
              if (events.length > 0) {
                text += encodeAnthropicEventsAsText(events);
                events = [];
              }
              text += delta.kind === 'text' ? encodeAnthropicDeltaAsText(index, 'text_delta', 'text', delta.literal) : encodeAnthropicDeltaAsText(index, 'thinking_delta', 'thinking', delta.literal);
            }
            continue;
          }
        }
        if (++chunksRead === CHUNKS_BEFORE_TEMPLATES) parseJson = createRepeatedShapeJsonParser().parse;
        const parsed = parseOpenAIStreamData(data, parseJson);
        if (parsed.kind === 'chunk') {
          // Not recognized: a new template if it is a text delta (the shape changed, or the first of them).
          if (delta === undefined) recognizer?.learn(data, parsed.chunk);
          usage.chunk(parsed.chunk);
          if (!sawFinish && hasFinishReason(parsed.chunk)) sawFinish = true;
          for (const translated of translator.push(parsed.chunk)) events.push(translated);
        } else if (parsed.kind === 'done') {
          usage.done();
          finished = true;
          events.push(...translator.end());
        } else {
          usage.chunk({ error: parsed.error });
          finished = true;
          events.push(...translator.fail(parsed.error.message || 'The upstream reported an error.'));
        }
      }
      if (events.length > 0) text += encodeAnthropicEventsAsText(events);
      return text === '' ? undefined : Buffer.from(text);
    },
    end(): Buffer | undefined {
      if (finished) return undefined;
      finished = true;
      const opening = started ? [] : translator.start();
      // Some servers end without `[DONE]` (one recording does): a finish reason is enough. Without
      // either, the answer was cut off, and saying end_turn would pass a truncation off as complete.
      if (!sawFinish) return encodeAnthropicEvents([...opening, ...translator.fail('The upstream stream ended before the answer was complete.')]);
      return encodeAnthropicEvents([...opening, ...translator.end()]);
    },
    fail(message: string): Buffer {
      finished = true;
      return Buffer.from(encodeAnthropicEvents([...(started ? [] : translator.start()), ...translator.fail(message)]) ?? []);
    },
    reading: () => readOpenAIStreamSummary(usage.result()),
  };
  return transform;
}

import type { AnthropicStreamEvent } from '../protocol/anthropic/anthropic-stream-event.js';
import { createRepeatedShapeJsonParser } from '../protocol/json/create-repeated-shape-json-parser.js';
import { encodeOpenAIStreamFrames, encodeOpenAIStreamFramesAsText } from '../protocol/openai/encode-openai-stream-frames.js';
import type { OpenAIStreamFrame } from '../protocol/openai/openai-stream-frame.js';
import { createSseParser } from '../protocol/sse/create-sse-parser.js';
import { createAnthropicTextDeltaRecognizer } from '../translation/anthropic-to-openai/create-anthropic-text-delta-recognizer.js';
import { createAnthropicToOpenAIStreamTranslator } from '../translation/anthropic-to-openai/create-anthropic-to-openai-stream-translator.js';
import type { StreamTransform } from './stream-transform.js';

/** Events read in full before a stream's JSON is read with a repeated-shape parser. */
const EVENTS_BEFORE_TEMPLATES = 8;

/**
 * A Messages stream, as bytes, becomes a Chat Completions stream (an OpenAI
 * client on an Anthropic channel). The usage is read by the relay's tap, on
 * the upstream's own bytes.
 *
 * Most events only add the next piece of text or thinking. Those the text
 * delta recognizer knows (see createAnthropicTextDeltaRecognizer) become their
 * chunk directly, their JSON never parsed; every other event is parsed and
 * translated, and teaches the recognizer. The bytes the client gets are the
 * same either way (`recognizeTextDeltas: false`, for tests, turns recognition
 * off). An event whose data is not JSON, or not a well-formed event, is
 * skipped.
 */
export function createAnthropicToOpenAIStreamTransform(options: {
  includeUsage: boolean;
  /** Unix seconds, the same for every chunk. */
  created: number;
  /** The model name reported to the client. */
  model: string;
  recognizeTextDeltas?: boolean;
}): StreamTransform & { readonly recognized: number } {
  const parser = createSseParser();
  const translator = createAnthropicToOpenAIStreamTranslator({ includeUsage: options.includeUsage, created: options.created, model: options.model });
  const recognizer = options.recognizeTextDeltas === false ? undefined : createAnthropicTextDeltaRecognizer();
  // JSON.parse for the few events of a text stream read in full; a repeated-shape parser once there are
  // many (tool input deltas), whose shapes repeat with new strings.
  let eventsRead = 0;
  let parseJson: (text: string) => unknown = JSON.parse;

  /** The SSE text of these events, recognized or read in full. */
  function translate(events: ReadonlyArray<{ data: string }>): string {
    let text = '';
    let frames: OpenAIStreamFrame[] = [];
    for (const event of events) {
      const data = event.data;
      const delta = recognizer?.recognize(data);
      if (delta !== undefined) {
        const around = translator.textChunkAround(delta.kind);
        if (around !== undefined) {
          transform.recognized++;
          if (delta.literal !== '""') {
            if (frames.length > 0) {
              text += encodeOpenAIStreamFramesAsText(frames);
              frames = [];
            }
            text += `data: ${around.before}${delta.literal}${around.after}\n\n`;
          }
          continue;
        }
      }
      if (++eventsRead === EVENTS_BEFORE_TEMPLATES) parseJson = createRepeatedShapeJsonParser().parse;
      let parsed: AnthropicStreamEvent;
      try {
        parsed = parseJson(data) as AnthropicStreamEvent;
      } catch {
        continue;
      }
      if (delta === undefined) recognizer?.learn(data, parsed);
      for (const frame of translator.push(parsed)) frames.push(frame);
    }
    if (frames.length > 0) text += encodeOpenAIStreamFramesAsText(frames);
    return text;
  }

  const transform = {
    /** Events sent as recognized text deltas. */
    recognized: 0,
    push(chunk: Buffer): Buffer | undefined {
      const text = translate(parser.push(chunk));
      return text === '' ? undefined : Buffer.from(text);
    },
    end(): Buffer | undefined {
      const text = translate(parser.end()) + encodeOpenAIStreamFramesAsText(translator.end());
      return text === '' ? undefined : Buffer.from(text);
    },
    fail(message: string): Buffer {
      return Buffer.from(
        encodeOpenAIStreamFrames([...translator.push({ type: 'error', error: { type: 'api_error', message } } as AnthropicStreamEvent), ...translator.end()]) ?? [],
      );
    },
  };
  return transform;
}

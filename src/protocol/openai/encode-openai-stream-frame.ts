import { encodeOpenAIChunk } from './encode-openai-chunk.js';
import { OPENAI_DONE } from './openai-done.js';
import type { OpenAIStreamFrame } from './openai-stream-frame.js';

/**
 * The bytes of one stream frame: `data: <json>\n\n` for a chunk or an error,
 * `data: [DONE]\n\n` for the end.
 */
export function encodeOpenAIStreamFrame(frame: OpenAIStreamFrame): Uint8Array {
  switch (frame.type) {
    case 'chunk':
      return encodeOpenAIChunk(frame.chunk);
    case 'error':
      return encodeOpenAIChunk(frame.body);
    case 'done':
      return OPENAI_DONE;
  }
}

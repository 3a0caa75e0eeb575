import type { OpenAIStreamFrame } from './openai-stream-frame.js';

/**
 * A run of stream frames as SSE bytes in one buffer: built as one string and
 * converted once, since this runs for every upstream chunk of a translated
 * stream. Same bytes as encodeOpenAIStreamFrame applied to each frame.
 */
export function encodeOpenAIStreamFrames(frames: readonly OpenAIStreamFrame[]): Buffer | undefined {
  if (frames.length === 0) return undefined;
  let text = '';
  for (const frame of frames) {
    if (frame.type === 'chunk') text += `data: ${JSON.stringify(frame.chunk)}\n\n`;
    else if (frame.type === 'error') text += `data: ${JSON.stringify(frame.body)}\n\n`;
    else text += 'data: [DONE]\n\n';
  }
  return Buffer.from(text);
}

import type { OpenAIStreamFrame } from './openai-stream-frame.js';

/**
 * A run of stream frames as SSE text, built as one string, since this runs for
 * every upstream chunk of a translated stream. The same text as
 * encodeOpenAIStreamFrame applied to each frame.
 */
export function encodeOpenAIStreamFramesAsText(frames: readonly OpenAIStreamFrame[]): string {
  let text = '';
  for (const frame of frames) {
    if (frame.type === 'chunk') text += `data: ${JSON.stringify(frame.chunk)}\n\n`;
    else if (frame.type === 'error') text += `data: ${JSON.stringify(frame.body)}\n\n`;
    else text += 'data: [DONE]\n\n';
  }
  return text;
}

/** encodeOpenAIStreamFramesAsText in one buffer, converted once; nothing for no frames. */
export function encodeOpenAIStreamFrames(frames: readonly OpenAIStreamFrame[]): Buffer | undefined {
  if (frames.length === 0) return undefined;
  return Buffer.from(encodeOpenAIStreamFramesAsText(frames));
}

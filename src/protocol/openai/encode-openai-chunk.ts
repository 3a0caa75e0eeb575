import type { OpenAIChatCompletionChunk } from './openai-chat-completion-chunk.js';
import type { OpenAIErrorBody } from './openai-error-body.js';

const encoder = new TextEncoder();

/**
 * Frames one Chat Completions stream payload as an SSE event. OpenAI sends no
 * `event:` line (the SDK reads bare `data:` frames), and JSON.stringify never
 * emits a raw newline, so one `data:` line always suffices.
 *
 * Also frames a mid-stream error body, which travels as a plain `data:` line.
 */
export function encodeOpenAIChunk(chunk: OpenAIChatCompletionChunk | OpenAIErrorBody): Uint8Array {
  return encoder.encode(`data: ${JSON.stringify(chunk)}\n\n`);
}

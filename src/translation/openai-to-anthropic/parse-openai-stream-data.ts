import type { OpenAIChatCompletionChunk } from '../../protocol/openai/openai-chat-completion-chunk.js';

/** What one `data:` payload of a Chat Completions stream turned out to be. */
export type OpenAIStreamData =
  | { kind: 'chunk'; chunk: OpenAIChatCompletionChunk }
  /** `[DONE]`: the stream is complete; the caller ends the translator. */
  | { kind: 'done' }
  /** An error the upstream sent instead of the rest of the stream. */
  | { kind: 'error'; error: { message: string; type: string | undefined; code: string | number | undefined } };

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function readError(value: unknown): OpenAIStreamData & { kind: 'error' } {
  if (typeof value === 'string') return { kind: 'error', error: { message: value, type: undefined, code: undefined } };
  const error = isRecord(value) ? value : {};
  const message = typeof error.message === 'string' && error.message !== '' ? error.message : JSON.stringify(value);
  const type = typeof error.type === 'string' ? error.type : undefined;
  const code = typeof error.code === 'string' || typeof error.code === 'number' ? error.code : undefined;
  return { kind: 'error', error: { message, type, code } };
}

/**
 * Parses one `data:` payload of an OpenAI-compatible stream (untrusted).
 *
 * - `[DONE]` (the openai SDK checks `startsWith('[DONE]')`, so do we).
 * - `{"error": …}`: OpenAI's mid-stream failure (the SDK throws on it); also
 *   vLLM's older bare `{"object":"error","message":…}`.
 * - Anything else must be a JSON object: a chunk. `choices` is normalized to
 *   an array because some servers leave it out of the usage-only last chunk.
 *
 * Throws a SyntaxError/TypeError for data that is neither; the caller treats
 * that as an upstream failure. `parseJson` must return what JSON.parse would
 * (the stream translation passes a repeated-shape parser); the result is not
 * modified.
 * @see openai/openai-node src/core/streaming.ts
 */
export function parseOpenAIStreamData(data: string, parseJson: (text: string) => unknown = JSON.parse): OpenAIStreamData {
  if (data.startsWith('[DONE]')) return { kind: 'done' };
  const parsed: unknown = parseJson(data);
  if (!isRecord(parsed)) throw new TypeError(`Expected a JSON object in the upstream stream, got: ${data.slice(0, 200)}`);
  if (parsed.error !== undefined && parsed.error !== null) return readError(parsed.error);
  if (parsed.object === 'error') return readError(parsed);
  // A copy rather than an assignment: `parseJson` may return shared, read-only values.
  const chunk = Array.isArray(parsed.choices) ? parsed : { ...parsed, choices: [] };
  return { kind: 'chunk', chunk: chunk as unknown as OpenAIChatCompletionChunk };
}

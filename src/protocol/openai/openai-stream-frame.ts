import type { OpenAIChatCompletionChunk } from './openai-chat-completion-chunk.js';
import type { OpenAIErrorBody } from './openai-error-body.js';

/**
 * One frame of a Chat Completions stream as the client receives it: a chunk,
 * an error (once a 200 is committed, the only way left to fail), or the
 * terminating `[DONE]`. Stream translators return these; the HTTP edge turns
 * them into bytes with `encodeOpenAIStreamFrame`.
 */
export type OpenAIStreamFrame =
  | { type: 'chunk'; chunk: OpenAIChatCompletionChunk }
  | { type: 'error'; body: OpenAIErrorBody }
  | { type: 'done' };

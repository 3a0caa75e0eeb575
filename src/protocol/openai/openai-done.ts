/**
 * The frame that ends a Chat Completions stream. The openai SDK stops reading
 * at this `data:` value; it is not JSON.
 *
 * @see openai/openai-node src/core/streaming.ts (`sse.data.startsWith('[DONE]')`)
 */
export const OPENAI_DONE: Uint8Array = new TextEncoder().encode('data: [DONE]\n\n');

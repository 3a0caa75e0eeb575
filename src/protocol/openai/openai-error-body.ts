/**
 * OpenAI's error envelope: the body of an error response, and the payload of
 * a `data:` line when a stream fails after it started (the openai SDK throws
 * on any chunk that has an `error` field).
 *
 * @see openai/openai-node src/core/error.ts (`APIError` reads code/param/type)
 * @see openai/openai-node src/core/streaming.ts (throws on `data.error`)
 */
export interface OpenAIErrorBody {
  error: {
    message: string;
    type: string;
    param: string | null;
    code: string | null;
  };
}

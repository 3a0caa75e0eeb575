/**
 * A request's `response_format`: plain text, any JSON object, or JSON that
 * follows a given schema (Structured Outputs).
 *
 * @see openai/openai-node src/resources/shared.ts (`ResponseFormatText`,
 *   `ResponseFormatJSONObject`, `ResponseFormatJSONSchema`)
 */
export type OpenAIResponseFormat =
  | { type: 'text' }
  | { type: 'json_object' }
  | {
      type: 'json_schema';
      json_schema: {
        /** `^[a-zA-Z0-9_-]{1,64}$`; required by OpenAI. */
        name: string;
        description?: string;
        schema?: Record<string, unknown>;
        strict?: boolean | null;
      };
    };

/**
 * A function the model may call, as listed in a request's `tools`.
 *
 * `name` must match `^[a-zA-Z0-9_-]{1,64}$` on OpenAI (other compatible
 * servers are usually laxer, but nothing promises it).
 *
 * @see openai/openai-node src/resources/chat/completions/completions.ts
 *   (`ChatCompletionFunctionTool`, `FunctionDefinition` in shared.ts)
 */
export interface OpenAITool {
  type: 'function';
  function: {
    name: string;
    description?: string;
    /** A JSON Schema object; omitting it means "no parameters". */
    parameters?: Record<string, unknown>;
    strict?: boolean | null;
  };
}

/**
 * A complete function call made by the assistant, as found in a non-streaming
 * response message and in assistant messages of a request's history.
 *
 * @see openai/openai-node src/resources/chat/completions/completions.ts
 *   (`ChatCompletionMessageFunctionToolCall`)
 */
export interface OpenAIToolCall {
  id: string;
  type: 'function';
  function: {
    name: string;
    /**
     * JSON text of the arguments. The model may produce invalid JSON, so this
     * stays a string rather than a parsed object.
     */
    arguments: string;
  };
}

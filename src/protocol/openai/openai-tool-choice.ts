/**
 * A request's `tool_choice`: `none` forbids tool calls, `auto` lets the model
 * decide, `required` forces at least one call, the object form forces one
 * named function.
 *
 * @see openai/openai-node src/resources/chat/completions/completions.ts
 *   (`ChatCompletionToolChoiceOption`)
 */
export type OpenAIToolChoice =
  | 'none'
  | 'auto'
  | 'required'
  | { type: 'function'; function: { name: string } };

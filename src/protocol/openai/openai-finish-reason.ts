/**
 * Why a choice stopped. `function_call` is the legacy form of `tool_calls`.
 *
 * @see openai/openai-node src/resources/chat/completions/completions.ts
 *   (`ChatCompletion.Choice.finish_reason`)
 */
export type OpenAIFinishReason = 'stop' | 'length' | 'tool_calls' | 'content_filter' | 'function_call';

/**
 * OpenAI's `reasoning_effort`. Which values a model accepts varies by model
 * (`minimal` only on gpt-5, `none` on gpt-5.1+, `xhigh`/`max` on the newest).
 *
 * @see openai/openai-node src/resources/shared.ts (`ReasoningEffort`)
 */
export type OpenAIReasoningEffort = 'none' | 'minimal' | 'low' | 'medium' | 'high' | 'xhigh' | 'max';

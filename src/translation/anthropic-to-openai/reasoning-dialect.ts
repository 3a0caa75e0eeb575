/**
 * How an OpenAI-compatible upstream is asked to think, and whether it takes
 * its chain of thought back in history.
 *
 * - `reasoning_effort`: OpenAI, vLLM, xAI: `reasoning_effort: low|medium|high`.
 * - `deepseek`: `thinking: {type: "enabled"}`; `reasoning_content` on assistant
 *   history messages (required in tool loops).
 * - `openrouter`: `reasoning: {max_tokens} | {effort}`.
 * - `none`: the upstream has no reasoning control; thinking is dropped.
 *
 * @see ../../../../shared/protocol/anthropic-protocol.md §7.8
 */
export type ReasoningDialect = 'reasoning_effort' | 'deepseek' | 'openrouter' | 'none';

/**
 * Buckets an Anthropic `thinking.budget_tokens` into an OpenAI effort.
 * Boundaries: up to 2,048 → low, up to 8,192 → medium, above → high. The
 * minimum budget is 1,024, so "low" covers the smallest budgets Claude Code
 * and the SDK examples use, and 8k+ is what Anthropic calls a large budget.
 *
 * @see BerriAI/litellm litellm/llms/anthropic/experimental_pass_through/adapters/transformation.py
 *   (`translate_anthropic_thinking_to_reasoning_effort`, the same idea with other cut-offs)
 */
export function mapThinkingBudgetToReasoningEffort(budgetTokens: number): 'low' | 'medium' | 'high' {
  if (budgetTokens <= 2048) return 'low';
  if (budgetTokens <= 8192) return 'medium';
  return 'high';
}

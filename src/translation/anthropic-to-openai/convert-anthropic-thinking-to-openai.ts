import type { AnthropicOutputConfig } from '../../protocol/anthropic/anthropic-output-config.js';
import type { AnthropicThinkingConfig } from '../../protocol/anthropic/anthropic-thinking-config.js';
import type { OpenAIChatCompletionRequest } from '../../protocol/openai/openai-chat-completion-request.js';
import { mapAnthropicEffortToReasoningEffort } from './map-anthropic-effort-to-reasoning-effort.js';
import { mapThinkingBudgetToReasoningEffort } from './map-thinking-budget-to-reasoning-effort.js';
import type { ReasoningDialect } from './reasoning-dialect.js';

export interface ConvertedThinking {
  /** The request fields to merge in; only the dialect's own field is ever set. */
  fields: Pick<OpenAIChatCompletionRequest, 'reasoning_effort' | 'thinking' | 'reasoning'>;
  /** Thinking was asked for and the dialect cannot ask for it. */
  droppedThinking: boolean;
  warnings: string[];
}

/**
 * Translates `thinking` (and, for adaptive thinking, `output_config.effort`)
 * into the upstream's reasoning dialect.
 *
 * @see ../../../../shared/protocol/anthropic-protocol.md §7.2, §7.8
 * @see https://api-docs.deepseek.com/guides/thinking_mode
 * @see https://openrouter.ai/docs/use-cases/reasoning-tokens
 */
export function convertAnthropicThinkingToOpenAI(options: {
  thinking: AnthropicThinkingConfig | undefined;
  effort: AnthropicOutputConfig['effort'] | undefined;
  dialect: ReasoningDialect;
}): ConvertedThinking {
  const { thinking, effort, dialect } = options;
  const warnings: string[] = [];

  if (thinking === undefined || thinking.type === 'disabled') {
    if (effort !== undefined) {
      // Without thinking, Anthropic's effort still shortens or lengthens the
      // answer; OpenAI's reasoning_effort would 400 on a non-reasoning model.
      warnings.push(`output_config.effort "${effort}" was dropped: it is only translated together with thinking`);
    }
    // Only DeepSeek has an explicit "off" that differs from saying nothing:
    // its hybrid models may otherwise default to thinking.
    if (thinking !== undefined && dialect === 'deepseek') {
      return { fields: { thinking: { type: 'disabled' } }, droppedThinking: false, warnings };
    }
    return { fields: {}, droppedThinking: false, warnings };
  }

  const budget = thinking.type === 'enabled' ? thinking.budget_tokens : undefined;
  if (budget !== undefined && effort !== undefined) {
    warnings.push(`output_config.effort "${effort}" was dropped: thinking.budget_tokens decides the effort`);
  }
  const mappedEffort =
    budget !== undefined ? mapThinkingBudgetToReasoningEffort(budget) : mapAnthropicEffortToReasoningEffort(effort);

  switch (dialect) {
    case 'reasoning_effort':
      return { fields: { reasoning_effort: mappedEffort }, droppedThinking: false, warnings };
    case 'deepseek':
      // DeepSeek has no depth control; its max_tokens already covers the CoT.
      return { fields: { thinking: { type: 'enabled' } }, droppedThinking: false, warnings };
    case 'openrouter': {
      const reasoning: NonNullable<OpenAIChatCompletionRequest['reasoning']> =
        budget !== undefined ? { max_tokens: budget } : { effort: mappedEffort };
      // `display: "omitted"` asks for thinking without its text; OpenRouter's
      // `exclude` is exactly that.
      if (thinking.display === 'omitted') reasoning.exclude = true;
      return { fields: { reasoning }, droppedThinking: false, warnings };
    }
    case 'none':
      warnings.push(`thinking (${thinking.type}) was dropped: the upstream has no reasoning control`);
      return { fields: {}, droppedThinking: true, warnings };
  }
}

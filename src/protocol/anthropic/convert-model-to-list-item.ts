import type { ModelDescription } from '../../routing/describe-model.js';

/**
 * One model in the shape both SDK families read: Anthropic's `ModelInfo`
 * (`type`, `id`, `display_name`, `created_at`) merged with OpenAI's `Model`
 * (`object`, `created`, `owned_by`). Both SDKs ignore fields they do not know,
 * so one superset serves `GET /v1/models` to either.
 * @see ../../../../shared/protocol/anthropic-protocol.md §5.2, §7.11
 */
export function convertModelToListItem(model: ModelDescription) {
  return {
    type: 'model' as const,
    id: model.id,
    display_name: model.displayName,
    created_at: model.createdAt,
    object: 'model' as const,
    created: Math.floor(Date.parse(model.createdAt) / 1000),
    owned_by: 'mixroute',
  };
}

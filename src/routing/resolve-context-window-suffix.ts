/**
 * The `[1m]` rule. Claude Code shows `claude-opus-4-8[1m]` but sends
 * `claude-opus-4-8` plus the `context-1m-2025-08-07` beta; other clients may
 * send the suffixed name itself, which no upstream knows. So a name ending in
 * `[1m]` (any case) that no channel maps explicitly is routed under its base
 * name, and the 1M-context beta is added to `anthropic-beta` when the client
 * did not already send it.
 */
export const CONTEXT_1M_BETA = 'context-1m-2025-08-07';

const SUFFIX = /\[1m\]$/i;

export function resolveContextWindowSuffix(model: string): { baseModel: string; betas: string[] } | undefined {
  if (!SUFFIX.test(model)) return undefined;
  return { baseModel: model.replace(SUFFIX, ''), betas: [CONTEXT_1M_BETA] };
}

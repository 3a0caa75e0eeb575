import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { filterBetas } from './filter-betas.js';

const [recorded] = JSON.parse(
  readFileSync(new URL('../../../test/fixtures/claude-code/prompt.json', import.meta.url), 'utf8'),
) as Array<{ headers: Record<string, string> }>;
/** The eight betas Claude Code 2.1.197 sent with its first request. */
const claudeCodeBetas = recorded!.headers['anthropic-beta']!.split(',');

describe('filterBetas', () => {
  it("forwards every beta unchanged under '*'", () => {
    expect(filterBetas({ betas: claudeCodeBetas, policy: '*' })).toEqual({ forwarded: claudeCodeBetas, removed: [] });
  });

  it('removes denied betas, by exact name and by dated prefix, keeping the order of the rest', () => {
    expect(
      filterBetas({ betas: claudeCodeBetas, policy: { deny: ['prompt-caching-scope-2026-01-05', 'context-management-*'] } }),
    ).toEqual({
      forwarded: [
        'claude-code-20250219',
        'context-1m-2025-08-07',
        'interleaved-thinking-2025-05-14',
        'thinking-token-count-2026-05-13',
        'mid-conversation-system-2026-04-07',
        'effort-2025-11-24',
      ],
      removed: ['context-management-2025-06-27', 'prompt-caching-scope-2026-01-05'],
    });
  });

  it('forwards only allowed betas when an allow list is given', () => {
    expect(
      filterBetas({ betas: claudeCodeBetas, policy: { allow: ['interleaved-thinking-2025-05-14', 'context-1m-*'] } }),
    ).toEqual({
      forwarded: ['context-1m-2025-08-07', 'interleaved-thinking-2025-05-14'],
      removed: [
        'claude-code-20250219',
        'thinking-token-count-2026-05-13',
        'context-management-2025-06-27',
        'prompt-caching-scope-2026-01-05',
        'mid-conversation-system-2026-04-07',
        'effort-2025-11-24',
      ],
    });
  });

  it('lets deny win over allow', () => {
    expect(
      filterBetas({ betas: ['effort-2025-11-24', 'context-1m-2025-08-07'], policy: { allow: ['*'], deny: ['effort-2025-11-24'] } }),
    ).toEqual({ forwarded: ['context-1m-2025-08-07'], removed: ['effort-2025-11-24'] });
  });

  it('compares case-insensitively but forwards the spelling the client sent', () => {
    expect(filterBetas({ betas: ['Context-1M-2025-08-07'], policy: { allow: ['context-1m-2025-08-07 '] } })).toEqual({
      forwarded: ['Context-1M-2025-08-07'],
      removed: [],
    });
  });

  it('forwards everything under an empty policy, and nothing under an empty allow list', () => {
    expect(filterBetas({ betas: ['effort-2025-11-24'], policy: {} })).toEqual({ forwarded: ['effort-2025-11-24'], removed: [] });
    expect(filterBetas({ betas: ['effort-2025-11-24'], policy: { allow: [] } })).toEqual({ forwarded: [], removed: ['effort-2025-11-24'] });
  });
});

import type { AnthropicContentBlockParam } from './anthropic-content-block-param.js';

/**
 * One turn of `messages`. `system` is a real role since 2026-05-28
 * (mid-conversation system messages); Claude Code sends it and retries
 * without it when an upstream refuses.
 * @see ../../../../shared/protocol/anthropic-protocol.md §1.1, §8
 */
export interface AnthropicMessageParam {
  role: 'user' | 'assistant' | 'system';
  content: string | AnthropicContentBlockParam[];
  [field: string]: unknown;
}

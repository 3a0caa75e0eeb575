import type { ChannelCapabilities } from './capabilities/channel-capabilities.js';

/** A channel as the router uses it: settings resolved and model patterns compiled once. */
export interface RoutableChannel {
  id: string;
  name: string;
  type: 'anthropic' | 'openai';
  /** Origin plus optional path prefix, without a trailing slash and without `/v1`. */
  baseUrl: string;
  apiKeys: string[];
  authHeader: 'x-api-key' | 'bearer';
  priority: number;
  weight: number;
  enabled: boolean;
  /** Patterns as configured, for listing. */
  models: string[];
  modelMap: Record<string, string>;
  matchers: Array<(model: string) => boolean>;
  timeouts: { connectMs: number; firstByteMs: number; idleMs: number; totalMs?: number | undefined };
  capabilities: ChannelCapabilities;
  /** Added to every upstream request. */
  extraHeaders: Record<string, string>;
  /** OpenAI-compatible channels: the request dialect details of this upstream. */
  reasoning: 'reasoning_effort' | 'deepseek' | 'openrouter' | 'none';
  maxTokensField: 'max_tokens' | 'max_completion_tokens';
  createdAt: number;
}

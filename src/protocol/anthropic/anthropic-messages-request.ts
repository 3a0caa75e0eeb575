import type { AnthropicCacheControl } from './anthropic-cache-control.js';
import type { AnthropicTextBlockParam } from './anthropic-content-block-param.js';
import type { AnthropicMessageParam } from './anthropic-message-param.js';
import type { AnthropicOutputConfig } from './anthropic-output-config.js';
import type { AnthropicThinkingConfig } from './anthropic-thinking-config.js';
import type { AnthropicToolChoice } from './anthropic-tool-choice.js';
import type { AnthropicTool } from './anthropic-tool.js';

/**
 * The body of `POST /v1/messages` (`MessageCreateParams`, beta fields
 * included). Open: unknown fields must be forwarded unchanged, because the
 * next API feature arrives as a field nobody here knows yet.
 * @see ../../../../shared/protocol/anthropic-protocol.md §1.1
 */
export interface AnthropicMessagesRequest {
  model: string;
  /** Required. 0 pre-warms the prompt cache without generating. */
  max_tokens: number;
  messages: AnthropicMessageParam[];
  /** The array form carries `cache_control`; forward it as received. */
  system?: string | AnthropicTextBlockParam[];
  /** `user_id` is opaque (Claude Code sends a JSON string). */
  metadata?: { user_id?: string | null; [field: string]: unknown };
  stop_sequences?: string[];
  stream?: boolean;
  /** Deprecated: models after Opus 4.6 reject anything but 1.0. */
  temperature?: number;
  /** Deprecated: newer models accept only ≥ 0.99. */
  top_p?: number;
  /** Deprecated: newer models reject any value. */
  top_k?: number;
  tools?: AnthropicTool[];
  tool_choice?: AnthropicToolChoice;
  thinking?: AnthropicThinkingConfig;
  output_config?: AnthropicOutputConfig;
  service_tier?: 'auto' | 'standard_only';
  container?:
    | string
    | { id?: string | null; skills?: Array<{ skill_id: string; type: 'anthropic' | 'custom'; version?: string }> | null }
    | null;
  /** Applies a breakpoint to the last cacheable block. */
  cache_control?: AnthropicCacheControl | null;
  inference_geo?: string | null;
  /** Beta (`mcp-client-*`). */
  mcp_servers?: Array<{ type: 'url'; url: string; name: string; [field: string]: unknown }>;
  /** Beta (`context-management-2025-06-27`). */
  context_management?: { edits?: Array<{ type: string; [field: string]: unknown }>; [field: string]: unknown } | null;
  /** Beta (`fast-mode-2026-02-01`). */
  speed?: 'standard' | 'fast';
  [field: string]: unknown;
}

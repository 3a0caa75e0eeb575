/**
 * `output_config`: effort and structured outputs. The beta SDK still rewrites
 * the older top-level `output_format` into `format` here.
 * @see ../../../../shared/protocol/anthropic-protocol.md §1.1
 */
export interface AnthropicOutputConfig {
  effort?: 'low' | 'medium' | 'high' | 'xhigh' | 'max';
  format?: { type: 'json_schema'; schema: Record<string, unknown> };
  [field: string]: unknown;
}

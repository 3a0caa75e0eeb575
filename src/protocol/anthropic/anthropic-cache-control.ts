/**
 * A prompt-cache breakpoint on a tool, system block or content block.
 *
 * Open, because clients send fields the public SDK types lack (Claude Code
 * sends `scope: "global"`) and the gateway must forward them untouched.
 * @see ../../../../shared/protocol/anthropic-protocol.md §1.3, §8
 */
export interface AnthropicCacheControl {
  type: 'ephemeral';
  /** Defaults to 5m; 1h writes are billed higher. */
  ttl?: '5m' | '1h';
  [field: string]: unknown;
}

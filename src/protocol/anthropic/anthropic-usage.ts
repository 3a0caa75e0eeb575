/**
 * The `usage` object of the Anthropic Messages API, as it appears on the wire:
 * in a non-streaming message, in `message_start.message.usage` and in
 * `message_delta.usage`.
 *
 * Everything is optional and nullable, `input_tokens` and `output_tokens`
 * included, because this describes untrusted upstream input rather than a
 * promise: `message_delta` usage omits `input_tokens` on older models (it
 * carries only `output_tokens`), newer deltas send explicit nulls, and new
 * fields (`service_tier`, `inference_geo`, `iterations`,
 * `output_tokens_details`, ...) keep appearing, hence the index signatures.
 */
export interface AnthropicUsage {
  /** Uncached input tokens. */
  input_tokens?: number | null;
  output_tokens?: number | null;
  /** All prompt-cache writes, whatever their TTL. */
  cache_creation_input_tokens?: number | null;
  cache_read_input_tokens?: number | null;
  /** The split of `cache_creation_input_tokens` by cache TTL. */
  cache_creation?: {
    ephemeral_5m_input_tokens?: number | null;
    ephemeral_1h_input_tokens?: number | null;
    [field: string]: unknown;
  } | null;
  server_tool_use?: {
    web_search_requests?: number | null;
    web_fetch_requests?: number | null;
    [field: string]: unknown;
  } | null;
  [field: string]: unknown;
}

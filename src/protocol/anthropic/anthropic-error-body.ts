/**
 * The `error.type` values the Messages API documents, by HTTP status:
 * 400 invalid_request_error, 401 authentication_error, 402 billing_error,
 * 403 permission_error, 404 not_found_error, 409 conflict_error,
 * 413 request_too_large, 429 rate_limit_error, 500 api_error,
 * 504 timeout_error, 529 overloaded_error.
 * @see ../../../../shared/protocol/anthropic-protocol.md §4.1
 */
export type AnthropicErrorType =
  | 'invalid_request_error'
  | 'authentication_error'
  | 'billing_error'
  | 'permission_error'
  | 'not_found_error'
  | 'conflict_error'
  | 'request_too_large'
  | 'rate_limit_error'
  | 'api_error'
  | 'timeout_error'
  | 'overloaded_error';

/**
 * Anthropic's error envelope, the body of every error response. The SDKs read
 * `error.type` and build their message from `error.message`; Claude Code
 * matches on the exact wording, so upstream text is kept verbatim.
 * @see ../../../../shared/protocol/anthropic-protocol.md §4.2
 */
export interface AnthropicErrorBody {
  type: 'error';
  error: { type: AnthropicErrorType; message: string; [field: string]: unknown };
  request_id?: string | null;
  [field: string]: unknown;
}

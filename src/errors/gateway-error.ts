/**
 * The error types mixroute raises itself, named as Anthropic names them so the
 * Anthropic SDKs map them to the right exception class.
 * @see https://platform.claude.com/docs/en/api/errors
 */
export type GatewayErrorType =
  | 'invalid_request_error'
  | 'authentication_error'
  | 'permission_error'
  | 'not_found_error'
  | 'request_too_large'
  | 'rate_limit_error'
  | 'api_error'
  | 'timeout_error'
  | 'overloaded_error';

/**
 * An error that mixroute itself raises (never an upstream's error, which is
 * relayed unchanged). It is rendered in one place, in the client's dialect.
 */
export class GatewayError extends Error {
  readonly status: number;
  readonly type: GatewayErrorType;
  readonly headers: Record<string, string> | undefined;

  constructor(options: {
    status: number;
    type: GatewayErrorType;
    message: string;
    headers?: Record<string, string>;
    cause?: unknown;
  }) {
    super(options.message, { cause: options.cause });
    this.name = 'GatewayError';
    this.status = options.status;
    this.type = options.type;
    this.headers = options.headers;
  }
}

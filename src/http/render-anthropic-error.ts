import type { ServerResponse } from 'node:http';
import type { GatewayError } from '../errors/gateway-error.js';

/**
 * The one place mixroute's own errors become Anthropic's error envelope:
 * `{"type":"error","error":{"type","message"},"request_id"}` with the status,
 * a `request-id` header (the SDKs expose it) and `x-should-retry` where the
 * SDKs' default would be wrong. Upstream errors never come through here: they
 * are relayed unchanged.
 * @see https://platform.claude.com/docs/en/api/errors
 */
export function renderAnthropicError(options: { response: ServerResponse; error: GatewayError; requestId: string }): void {
  const { response, error, requestId } = options;
  if (response.headersSent) {
    response.destroy();
    return;
  }
  const body = JSON.stringify({
    type: 'error',
    error: { type: error.type, message: error.message },
    request_id: requestId,
  });
  response.writeHead(error.status, {
    ...error.headers,
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(body),
    'request-id': requestId,
    'x-mixroute-request-id': requestId,
  });
  response.end(body);
}

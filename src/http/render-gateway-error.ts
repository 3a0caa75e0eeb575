import type { ServerResponse } from 'node:http';
import type { GatewayError } from '../errors/gateway-error.js';
import type { ClientDialect } from './client-dialect.js';

/**
 * The one place mixroute's own errors are rendered, in the dialect the client
 * called. Anthropic clients get `{"type":"error","error":{"type","message"},
 * "request_id"}`; OpenAI clients get `{"error":{"message","type","param","code"}}`
 * (the OpenAI SDK reads `error.message`, `type`, `param` and `code`). Both carry
 * the status and a `request-id` header. Upstream errors never come through
 * here: a same-protocol upstream's error is relayed unchanged.
 * @see https://platform.claude.com/docs/en/api/errors
 * @see ../../../shared/protocol/anthropic-protocol.md §7.9
 */
export function renderGatewayError(options: { response: ServerResponse; error: GatewayError; requestId: string; dialect: ClientDialect }): void {
  const { response, error, requestId } = options;
  if (response.headersSent) {
    response.destroy();
    return;
  }
  const body = JSON.stringify(encodeGatewayError({ error, requestId, dialect: options.dialect }));
  response.writeHead(error.status, {
    ...error.headers,
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(body),
    'request-id': requestId,
    'x-mixroute-request-id': requestId,
  });
  response.end(body);
}

export function encodeGatewayError(options: { error: { type: string; message: string }; requestId: string; dialect: ClientDialect }) {
  const { error } = options;
  return options.dialect === 'anthropic'
    ? { type: 'error', error: { type: error.type, message: error.message }, request_id: options.requestId }
    : { error: { message: error.message, type: error.type, param: null, code: error.type } };
}

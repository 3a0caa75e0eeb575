import type { ClientDialect } from './client-dialect.js';
import { encodeGatewayError } from './render-gateway-error.js';

/**
 * How a stream that has already started reports a failure: Anthropic's
 * `event: error` (the SDKs throw an APIError with its type; Claude Code
 * retries `overloaded_error`), or OpenAI's `data: {"error":…}`, on which the
 * OpenAI SDK throws.
 * @see ../../../shared/protocol/anthropic-protocol.md §3.6, §7.5
 */
export function encodeStreamError(options: { dialect: ClientDialect; type: string; message: string; requestId: string }): Buffer {
  const payload = JSON.stringify(encodeGatewayError({ error: options, requestId: options.requestId, dialect: options.dialect }));
  return Buffer.from(options.dialect === 'anthropic' ? `event: error\ndata: ${payload}\n\n` : `data: ${payload}\n\n`);
}

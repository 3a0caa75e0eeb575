import { GatewayError } from '../errors/gateway-error.js';
import { UpstreamTimeoutError } from './upstream-timeout-error.js';

/**
 * Turns a failure to get an answer from the upstream (no HTTP status came
 * back) into the error the client sees. Timeouts are 504 `timeout_error`, as
 * Anthropic names a 504; everything else (refused, reset, DNS, TLS) is 502
 * `api_error`, which the SDKs and Claude Code retry.
 */
export function classifyUpstreamFailure(options: { error: unknown; channelName: string }): GatewayError {
  // mixroute's own reasons for aborting (a total timeout) arrive as the abort reason.
  if (options.error instanceof GatewayError) return options.error;
  if (options.error instanceof UpstreamTimeoutError) {
    const message =
      options.error.phase === 'first_byte'
        ? `Upstream ${options.channelName} did not answer in time.`
        : `Upstream ${options.channelName} stopped sending its response.`;
    return new GatewayError({ status: 504, type: 'timeout_error', message, cause: options.error });
  }
  const error = options.error as { code?: string; message?: string; cause?: { code?: string; message?: string } };
  const code = error?.code ?? error?.cause?.code ?? 'UNKNOWN';
  const detail = error?.cause?.message ?? error?.message ?? String(options.error);
  if (code === 'UND_ERR_CONNECT_TIMEOUT') {
    return new GatewayError({ status: 504, type: 'timeout_error', message: `Upstream ${options.channelName} did not accept the connection in time.`, cause: options.error });
  }
  return new GatewayError({ status: 502, type: 'api_error', message: `Upstream ${options.channelName} is unreachable (${code}: ${detail}).`, cause: options.error });
}

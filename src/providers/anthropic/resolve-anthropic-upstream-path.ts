import { parseBaseUrl } from '../parse-base-url.js';

/**
 * Where a client path goes on an Anthropic-protocol channel. Its base URL is
 * given as to the Anthropic SDKs (`https://api.anthropic.com`, or a prefix such
 * as `https://gateway.example/anthropic`); a trailing `/v1` is tolerated so a
 * URL copied from elsewhere does not end up as `/v1/v1/messages`.
 */
export function resolveAnthropicUpstreamPath(options: { baseUrl: string; pathAndQuery: string }): { origin: string; path: string } {
  const base = parseBaseUrl(options.baseUrl);
  const prefix = base.path.endsWith('/v1') ? base.path.slice(0, -3) : base.path;
  return { origin: base.origin, path: prefix + options.pathAndQuery };
}

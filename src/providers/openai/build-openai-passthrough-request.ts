import { replaceTopLevelStringField } from '../../protocol/json/replace-top-level-string-field.js';
import type { Target } from '../../routing/target.js';
import { forwardClientHeaders } from '../forward-client-headers.js';
import { lowerCaseNames } from '../lower-case-names.js';
import type { UpstreamRequest } from '../upstream-request.js';
import { resolveOpenAIUpstreamPath } from './resolve-openai-upstream-path.js';

/**
 * Builds the request to an OpenAI-compatible upstream from an OpenAI client's
 * request: client headers and body pass through, the credential is swapped for
 * the channel's Bearer token and the model renamed when the channel maps it.
 *
 * One change is made for metering: a stream whose client did not ask for
 * `stream_options.include_usage` gets it anyway, because without it the
 * upstream never says how many tokens it used. The body is then re-serialized
 * (same JSON value, other bytes), and the relay drops the extra usage chunk
 * before it reaches the client, which therefore sees what it asked for.
 */
export function buildOpenAIPassthroughRequest(options: {
  target: Target;
  query: string;
  rawHeaders: readonly string[];
  body: Buffer;
  clientModel: string;
  stream: boolean;
  includeUsage: boolean;
}): { request: UpstreamRequest; injectedUsage: boolean } {
  const { target } = options;
  let body = options.body;
  const injectedUsage = options.stream && !options.includeUsage;
  if (injectedUsage) {
    const parsed = JSON.parse(body.toString('utf8')) as Record<string, unknown>;
    const streamOptions = typeof parsed.stream_options === 'object' && parsed.stream_options !== null ? parsed.stream_options : {};
    parsed.stream_options = { ...streamOptions, include_usage: true };
    if (target.upstreamModel !== options.clientModel) parsed.model = target.upstreamModel;
    body = Buffer.from(JSON.stringify(parsed));
  } else if (target.upstreamModel !== options.clientModel) {
    body = replaceTopLevelStringField({ json: body, key: 'model', value: target.upstreamModel }) ?? body;
  }
  const { origin, path } = resolveOpenAIUpstreamPath({ baseUrl: target.channel.baseUrl, query: options.query });
  const headers = forwardClientHeaders({
    rawHeaders: options.rawHeaders,
    replace: {
      // The client's organization and project would select among the operator's; only the channel's own (extra headers) go.
      'openai-organization': undefined,
      'openai-project': undefined,
      ...lowerCaseNames(target.channel.extraHeaders),
      authorization: `Bearer ${target.credential}`,
    },
  });
  return { request: { origin, path, headers, body }, injectedUsage };
}

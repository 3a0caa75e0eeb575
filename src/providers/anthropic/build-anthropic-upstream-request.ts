import { replaceTopLevelStringField } from '../../protocol/json/replace-top-level-string-field.js';
import type { Target } from '../../routing/target.js';
import { forwardClientHeaders } from '../forward-client-headers.js';
import type { UpstreamRequest } from '../upstream-request.js';
import { resolveAnthropicUpstreamPath } from './resolve-anthropic-upstream-path.js';
import { stripUnsignedThinking } from './strip-unsigned-thinking.js';
import { filterBetas } from '../../routing/capabilities/filter-betas.js';
import { lowerCaseNames } from '../lower-case-names.js';

/**
 * Builds the request to an Anthropic-protocol upstream from an Anthropic
 * client's request, changing only what it must: the path is prefixed with the
 * channel's base path (the query, `?beta=true` included, is kept), the
 * credential is swapped, betas the route needs are appended to
 * `anthropic-beta`, and the body's `model` is rewritten only when the channel
 * renames it. Every other header and every body byte pass unchanged, except
 * in one case: history holding thinking that mixroute translated from another
 * upstream, which carries no Anthropic signature and is removed.
 * @see ../../../../shared/protocol/anthropic-protocol.md §1.1, §6
 */
export function buildAnthropicUpstreamRequest(options: {
  target: Target;
  pathAndQuery: string;
  rawHeaders: readonly string[];
  body: Buffer;
  clientModel: string;
  addBetas: readonly string[];
}): UpstreamRequest {
  const { channel } = options.target;
  const replace: Record<string, string | undefined> = {
    ...lowerCaseNames(channel.extraHeaders),
    ...(channel.authHeader === 'bearer' ? { authorization: `Bearer ${options.target.credential}` } : { 'x-api-key': options.target.credential }),
  };
  const policy = channel.capabilities.betas;
  if (options.addBetas.length > 0 || policy !== '*') {
    const sent: string[] = [];
    for (let index = 0; index < options.rawHeaders.length; index += 2) {
      if (options.rawHeaders[index]!.toLowerCase() === 'anthropic-beta') sent.push(options.rawHeaders[index + 1]!);
    }
    const present = sent.flatMap((value) => value.split(',').map((beta) => beta.trim())).filter(Boolean);
    const added = options.addBetas.filter((beta) => !present.includes(beta));
    const { forwarded, removed } = filterBetas({ betas: [...present, ...added], policy });
    if (removed.length > 0) {
      // Betas this upstream rejects are removed rather than turned into 400s (the channel's policy).
      replace['anthropic-beta'] = forwarded.length > 0 ? forwarded.join(',') : undefined;
    } else if (added.length > 0) {
      // The client's lines are kept as spelled; an empty line (the SDK's `betas: []`) adds nothing.
      replace['anthropic-beta'] = [...sent.filter((value) => value.trim() !== ''), ...added].join(',');
    }
  }
  const history = stripUnsignedThinking(options.body) ?? options.body;
  const body =
    options.target.upstreamModel === options.clientModel
      ? history
      : (replaceTopLevelStringField({ json: history, key: 'model', value: options.target.upstreamModel }) ?? history);
  const { origin, path } = resolveAnthropicUpstreamPath({ baseUrl: channel.baseUrl, pathAndQuery: options.pathAndQuery });
  return { origin, path, headers: forwardClientHeaders({ rawHeaders: options.rawHeaders, replace }), body };
}

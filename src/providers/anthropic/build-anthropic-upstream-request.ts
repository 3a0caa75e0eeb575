import { isHopByHopHeader, parseConnectionHeader } from '../../protocol/http/is-hop-by-hop-header.js';
import { replaceTopLevelStringField } from '../../protocol/json/replace-top-level-string-field.js';
import type { Target } from '../../routing/target.js';

export interface UpstreamRequest {
  origin: string;
  path: string;
  /** Flat name/value list, in the client's order and spelling. */
  headers: string[];
  body: Buffer;
}

/**
 * Headers the relay never forwards: the client's own credentials (the
 * channel's are sent instead; the client's key never leaves mixroute), the
 * framing the new request recomputes, and `accept-encoding`, so the upstream
 * answers uncompressed and the usage tap can read the stream it forwards.
 */
const DROPPED = new Set(['host', 'content-length', 'authorization', 'x-api-key', 'accept-encoding', 'expect']);

/**
 * Builds the request to an Anthropic-protocol upstream from the client's
 * request, changing only what it must: the path is prefixed with the channel's
 * base path (the query, `?beta=true` included, is kept), the credential is
 * swapped, and the body's `model` is rewritten only when the channel renames
 * it. Every other header (`anthropic-version`, `anthropic-beta`, every
 * `anthropic-*` and `x-claude-code-*`) and every body byte pass unchanged.
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
  const base = new URL(channel.baseUrl);
  const prefix = base.pathname.replace(/\/+$/, '').replace(/\/v1$/, '');
  const headers: string[] = [];
  let connectionListed: Set<string> | undefined;
  for (let index = 0; index < options.rawHeaders.length; index += 2) {
    if (options.rawHeaders[index]!.toLowerCase() === 'connection') {
      connectionListed = parseConnectionHeader(options.rawHeaders[index + 1]);
    }
  }
  const betas: string[] = [];
  for (let index = 0; index < options.rawHeaders.length; index += 2) {
    const name = options.rawHeaders[index]!;
    const lower = name.toLowerCase();
    if (DROPPED.has(lower) || isHopByHopHeader(lower) || connectionListed?.has(lower)) continue;
    if (options.addBetas.length > 0 && lower === 'anthropic-beta') {
      betas.push(options.rawHeaders[index + 1]!);
      continue;
    }
    headers.push(name, options.rawHeaders[index + 1]!);
  }
  if (options.addBetas.length > 0) {
    const present = new Set(betas.flatMap((value) => value.split(',').map((beta) => beta.trim())));
    const added = options.addBetas.filter((beta) => !present.has(beta));
    headers.push('anthropic-beta', [...betas, ...added].join(','));
  }
  if (channel.authHeader === 'bearer') headers.push('authorization', `Bearer ${options.target.credential}`);
  else headers.push('x-api-key', options.target.credential);

  const body =
    options.target.upstreamModel === options.clientModel
      ? options.body
      : (replaceTopLevelStringField({ json: options.body, key: 'model', value: options.target.upstreamModel }) ?? options.body);
  return { origin: base.origin, path: prefix + options.pathAndQuery, headers, body };
}

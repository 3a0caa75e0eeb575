import { isHopByHopHeader, parseConnectionHeader } from '../protocol/http/is-hop-by-hop-header.js';

/**
 * Headers the relay never forwards: the client's own credentials (the
 * channel's are sent instead; the client's key never leaves mixroute), the
 * framing the new request recomputes, and `accept-encoding`, so the upstream
 * answers uncompressed and the usage tap can read what it forwards.
 */
const DROPPED = new Set(['host', 'content-length', 'authorization', 'x-api-key', 'accept-encoding', 'expect']);

/**
 * The client's headers as a same-protocol upstream should see them: every
 * header (`anthropic-version`, `anthropic-beta`, every `anthropic-*`,
 * `x-claude-code-*`, `x-stainless-*`…) in the client's order and spelling,
 * minus hop-by-hop headers, those the `Connection` header names, and DROPPED.
 * `replace` swaps the values of the named (lower-case) headers, appending the
 * ones the client did not send; an undefined value removes the header.
 */
export function forwardClientHeaders(options: { rawHeaders: readonly string[]; replace?: Record<string, string | undefined> }): string[] {
  const raw = options.rawHeaders;
  // Every Connection line counts: a client may send several.
  const connectionListed = new Set<string>();
  for (let index = 0; index < raw.length; index += 2) {
    if (raw[index]!.toLowerCase() === 'connection') for (const name of parseConnectionHeader(raw[index + 1])) connectionListed.add(name);
  }
  const replace = options.replace;
  const replaced = new Set<string>();
  const headers: string[] = [];
  for (let index = 0; index < raw.length; index += 2) {
    const name = raw[index]!;
    const lower = name.toLowerCase();
    if (DROPPED.has(lower) || isHopByHopHeader(lower) || connectionListed.has(lower)) continue;
    if (replace && Object.hasOwn(replace, lower)) {
      const value = replace[lower];
      if (!replaced.has(lower) && value !== undefined) headers.push(name, value);
      replaced.add(lower);
      continue;
    }
    headers.push(name, raw[index + 1]!);
  }
  if (replace) {
    for (const [name, value] of Object.entries(replace)) if (!replaced.has(name) && value !== undefined) headers.push(name, value);
  }
  return headers;
}

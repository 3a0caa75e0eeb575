/**
 * Headers that describe one connection, not the message: a proxy must not
 * forward them (RFC 9110 §7.6.1), nor the headers a `Connection` header names.
 */
const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-authenticate',
  'proxy-authorization',
  'proxy-connection',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
]);

export function isHopByHopHeader(lowerCaseName: string): boolean {
  return HOP_BY_HOP.has(lowerCaseName);
}

/** Shared by every message whose `Connection` header names nothing (keep-alive, close, or none). */
const NONE: ReadonlySet<string> = new Set();

/** The extra hop-by-hop names listed in a `Connection` header value, lower-cased. */
export function parseConnectionHeader(value: string | undefined): ReadonlySet<string> {
  if (!value || value === 'keep-alive' || value === 'close') return NONE;
  const names = new Set<string>();
  for (const token of value.split(',')) {
    const name = token.trim().toLowerCase();
    if (name && name !== 'close' && name !== 'keep-alive') names.add(name);
  }
  return names;
}

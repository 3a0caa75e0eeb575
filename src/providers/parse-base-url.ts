/** A channel's base URL split once: its origin, and its path without trailing slashes. */
export interface ParsedBaseUrl {
  origin: string;
  /** `''` for a bare origin, `/anthropic` for `https://gateway.example/anthropic/`. */
  path: string;
}

/** Channels are few; a cap only guards against base URLs that keep changing on reloads. */
const MAX_CACHED = 1_000;
let cache = new Map<string, ParsedBaseUrl>();

/**
 * Parses a channel's base URL, remembering the answer: every request to a
 * channel resolves its upstream path from the same string, and a WHATWG URL
 * parse per request was about 1 % of a small request's CPU.
 */
export function parseBaseUrl(baseUrl: string): ParsedBaseUrl {
  let parsed = cache.get(baseUrl);
  if (parsed === undefined) {
    const url = new URL(baseUrl);
    parsed = { origin: url.origin, path: url.pathname.replace(/\/+$/, '') };
    if (cache.size >= MAX_CACHED) cache = new Map();
    cache.set(baseUrl, parsed);
  }
  return parsed;
}

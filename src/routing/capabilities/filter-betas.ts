import type { ChannelCapabilities } from './channel-capabilities.js';

/** Case-insensitive, with a trailing `*` matching by prefix. */
function matchesAny(beta: string, patterns: readonly string[]): boolean {
  const name = beta.toLowerCase();
  return patterns.some((pattern) => {
    const wanted = pattern.trim().toLowerCase();
    return wanted.endsWith('*') ? name.startsWith(wanted.slice(0, -1)) : name === wanted;
  });
}

/**
 * Splits the client's betas into those a channel's policy forwards and those
 * it removes (issue 4 §1: Anthropic's own API receives every beta unchanged;
 * another Anthropic-protocol upstream can be given an allow or a deny list so
 * betas it rejects do not become 400s). The relay rewrites `anthropic-beta`
 * from `forwarded`, spelled as the client spelled it; `removed` is for the
 * log and for `findMissingCapabilities`.
 */
export function filterBetas(options: {
  betas: readonly string[];
  policy: ChannelCapabilities['betas'];
}): { forwarded: string[]; removed: string[] } {
  const { betas, policy } = options;
  if (policy === '*') return { forwarded: [...betas], removed: [] };
  const forwarded: string[] = [];
  const removed: string[] = [];
  for (const beta of betas) {
    const allowed = policy.allow === undefined || matchesAny(beta, policy.allow);
    const denied = policy.deny !== undefined && matchesAny(beta, policy.deny);
    (allowed && !denied ? forwarded : removed).push(beta);
  }
  return { forwarded, removed };
}

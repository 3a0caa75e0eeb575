import { CONTEXT_1M_BETA } from '../resolve-context-window-suffix.js';
import type { ChannelCapabilities } from './channel-capabilities.js';
import { filterBetas } from './filter-betas.js';
import type { RequestNeeds } from './request-needs.js';

/**
 * What a channel lacks to serve a request, one short phrase each, in a fixed
 * order (`thinking`, `tools`, `images`, `documents`, `server tool <family>`,
 * `beta <name>`); empty when the channel can serve it.
 *
 * Betas mostly do not count: a beta the channel's policy removes is stripped
 * from the header (see `filterBetas`) and the request goes on without it.
 * The exception is the 1M-context beta. Stripping it would silently serve a
 * shorter context than the client asked for (Claude Code, shown
 * `claude-opus-4-8[1m]`, plans its conversation around 1M tokens and would
 * meet "prompt is too long" far earlier); so a channel whose policy removes
 * it cannot serve the request. Callers should include
 * the betas the route adds (the `[1m]` model suffix) in `needs.betas`, since
 * the client asked for them just the same.
 */
export function findMissingCapabilities(options: { needs: RequestNeeds; capabilities: ChannelCapabilities }): string[] {
  const { needs, capabilities } = options;
  const missing: string[] = [];
  if (needs.thinking && !capabilities.thinking) missing.push('thinking');
  if (needs.tools && !capabilities.tools) missing.push('tools');
  if (needs.images && !capabilities.images) missing.push('images');
  if (needs.documents && !capabilities.documents) missing.push('documents');
  if (capabilities.serverTools !== '*') {
    const served = new Set(capabilities.serverTools.map((family) => family.toLowerCase()));
    for (const family of needs.serverTools) {
      if (!served.has(family.toLowerCase())) missing.push(`server tool ${family}`);
    }
  }
  const longContext = needs.betas.filter((beta) => beta.toLowerCase() === CONTEXT_1M_BETA);
  if (longContext.length > 0) {
    const { removed } = filterBetas({ betas: longContext, policy: capabilities.betas });
    for (const beta of removed) missing.push(`beta ${beta}`);
  }
  return missing;
}

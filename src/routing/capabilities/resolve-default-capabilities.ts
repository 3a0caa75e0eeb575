import type { ChannelCapabilities } from './channel-capabilities.js';

/**
 * What a channel is assumed to serve when the operator declares nothing.
 *
 * - Anthropic protocol, Anthropic's own API or not: everything. A channel
 *   that speaks the Messages API is taken to mean it, and a restrictive
 *   default would turn requests away from upstreams that can serve them
 *   without anyone noticing; an upstream that lacks a feature still answers
 *   with its own 400, which the client sees, and the operator then narrows
 *   the channel (most often `serverTools`, and a beta deny list so betas the
 *   upstream rejects are stripped instead of becoming 400s).
 * - OpenAI protocol: what the Anthropic → OpenAI translator can express.
 *   Thinking, tools, images and documents translate (thinking is dropped
 *   with a response header on a channel whose reasoning dialect is `none`,
 *   which the operator can turn into a refusal by declaring `thinking:
 *   false`); server tools have no Chat Completions form. Betas are `'*'`
 *   because they are never forwarded to such an upstream, so there is
 *   nothing to strip and nothing for a beta to break there.
 *
 * `baseUrl` is taken so that callers pass what identifies the upstream; the
 * defaults do not depend on it today, since Anthropic's API
 * (`*.anthropic.com`) and other Anthropic-protocol upstreams start from the
 * same open default for the reason above.
 */
export function resolveDefaultCapabilities(options: { type: 'anthropic' | 'openai'; baseUrl: string }): ChannelCapabilities {
  if (options.type === 'openai') {
    return { thinking: true, tools: true, images: true, documents: true, serverTools: [], betas: '*' };
  }
  return { thinking: true, tools: true, images: true, documents: true, serverTools: '*', betas: '*' };
}

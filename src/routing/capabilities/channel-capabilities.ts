/**
 * What a channel's upstream can serve. Defaults come from
 * `resolveDefaultCapabilities`; operators override any field per channel in
 * the configuration.
 */
export interface ChannelCapabilities {
  thinking: boolean;
  tools: boolean;
  images: boolean;
  documents: boolean;
  /** Server-tool families the upstream runs (see `RequestNeeds.serverTools`), or `'*'` for all. */
  serverTools: string[] | '*';
  /**
   * Which `anthropic-beta` values are forwarded. A beta the policy does not
   * let through is removed from the header (see `filterBetas`), so an
   * upstream that rejects it still answers; it does not make the channel
   * unable to serve the request, except for the 1M-context beta (see
   * `findMissingCapabilities`). Names compare case-insensitively; a trailing
   * `*` matches by prefix (`context-management-*`), since betas are dated and
   * a new date of the same feature usually behaves the same. With both lists,
   * a beta must be allowed and not denied.
   */
  betas: { allow?: string[]; deny?: string[] } | '*';
}

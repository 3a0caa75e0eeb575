/**
 * The secret part of a channel, kept encrypted at rest (see `secret-box.ts`).
 * An object rather than a bare list so later provider types can add fields
 * (OAuth tokens, regions…) without a storage format change.
 */
export interface ChannelCredentials {
  /** Upstream API keys; the router may spread load across them. */
  apiKeys: string[];
}

/** What one API key may do, beyond being active and unexpired. Every field is optional: absent means no restriction. */
export interface ApiKeyPolicy {
  /** Model names or `*` patterns the key may request. */
  allowedModels?: string[];
  /** Client addresses (`203.0.113.7`, `10.0.0.0/8`, `2001:db8::/32`) the key may be used from. */
  allowedIps?: string[];
  requestsPerMinute?: number;
  tokensPerMinute?: number;
  concurrentRequests?: number;
  /** The most this key may spend in all, in nano-USD (its own quota, apart from its user's balance and limits). */
  quotaNanoUsd?: number;
}

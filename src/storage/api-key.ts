import type { ApiKeyPolicy } from './api-key-policy.js';

/**
 * A client credential. The secret itself is never stored: only its SHA-256
 * (`secretHash`, which is what an auth cache keys on) and a short display
 * `prefix` so people can tell their keys apart.
 */
export interface ApiKey {
  id: string;
  userId: string;
  /** Unique among active keys; a revoked key's name may be reused. */
  name: string;
  /**
   * First 12 characters of the secret (at most a third of it), e.g.
   * `sk-mr-AbCdEf`; display it followed by an ellipsis.
   */
  prefix: string;
  /** Hex SHA-256 of the secret, see `hashApiKeySecret`. */
  secretHash: string;
  status: 'active' | 'revoked';
  /** All timestamps are milliseconds since the epoch. */
  createdAt: number;
  revokedAt: number | null;
  /** After this instant the key must be rejected even though it is still `active`. */
  expiresAt: number | null;
  /** Approximate (written in batches by the gateway), for display only. */
  lastUsedAt: number | null;
  policy: ApiKeyPolicy;
  /** Spent against `policy.quotaNanoUsd`, reservations in flight included. */
  quotaUsedNanoUsd: number;
}

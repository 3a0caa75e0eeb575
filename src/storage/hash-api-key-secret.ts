import { createHash } from 'node:crypto';

/**
 * Hex SHA-256 of an API key secret: what `api_keys.secret_hash` stores and what
 * authentication looks up. A fast unsalted hash is the right tool here because
 * generated secrets carry ~238 bits of randomness (and fixed ones are required
 * to be long), so brute force is not a concern, while a slow KDF would add
 * latency to every request; being deterministic also lets lookups use an index.
 */
export function hashApiKeySecret(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

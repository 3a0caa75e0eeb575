import { createHash } from 'node:crypto';
import { GatewayError } from '../errors/gateway-error.js';
import type { AuthenticatedKey } from './authenticated-key.js';
import type { ApiKeyPolicy } from '../storage/api-key-policy.js';
import type { SpendingLimits } from '../storage/repositories/create-spending-repository.js';

/** What the authenticator needs of stored keys. */
export interface StoredApiKey {
  id: string;
  userId: string;
  name: string;
  status: string;
  expiresAt: number | null;
  policy?: ApiKeyPolicy | undefined;
  spending?: SpendingLimits | undefined;
  priceMultiplier?: string | undefined;
}

export interface ApiKeyAuthenticator {
  /** Resolves the key or throws a 401 GatewayError. */
  authenticate(secret: string | undefined): Promise<AuthenticatedKey>;
  /** Drops every cached answer: called when the stored keys change (here or on another instance). */
  invalidate(): void;
}

/** Bounds the cache so a flood of random keys cannot grow memory without limit. */
const MAX_CACHED = 50_000;

/**
 * Checks client keys against their stored hashes, with an in-memory cache of
 * answers (found and not found) keyed by hash, so a request costs two map
 * lookups: the hash of each key presented is remembered too (a SHA-256 per
 * request was about 1.5 % of a small request's CPU), in this process's
 * memory only, bounded like the answers. The cache is exact, not time-based: it is emptied whenever
 * the stored keys change, which running servers learn by polling a revision
 * counter the CLI and other instances bump.
 */
export function createApiKeyAuthenticator(options: {
  findByHash: (secretHash: string) => Promise<StoredApiKey | undefined>;
  now?: () => number;
}): ApiKeyAuthenticator {
  const now = options.now ?? Date.now;
  let cache = new Map<string, Promise<StoredApiKey | undefined>>();
  let hashes = new Map<string, string>();
  const hashOf = (secret: string) => {
    let hash = hashes.get(secret);
    if (hash === undefined) {
      hash = createHash('sha256').update(secret).digest('hex');
      if (hashes.size >= MAX_CACHED) hashes = new Map();
      hashes.set(secret, hash);
    }
    return hash;
  };

  return {
    async authenticate(secret) {
      if (!secret) {
        throw new GatewayError({
          status: 401,
          type: 'authentication_error',
          message: 'x-api-key header is required (or Authorization: Bearer <key>).',
        });
      }
      const hash = hashOf(secret);
      let lookup = cache.get(hash);
      if (!lookup) {
        if (cache.size >= MAX_CACHED) cache = new Map();
        lookup = options.findByHash(hash);
        cache.set(hash, lookup);
        const owner = cache;
        // A failed lookup (database down) must not be remembered.
        lookup.catch(() => owner.get(hash) === lookup && owner.delete(hash));
      }
      const key = await lookup;
      if (!key) throw new GatewayError({ status: 401, type: 'authentication_error', message: 'invalid x-api-key' });
      if (key.status !== 'active') {
        throw new GatewayError({ status: 401, type: 'authentication_error', message: 'This API key has been revoked.' });
      }
      if (key.expiresAt !== null && key.expiresAt <= now()) {
        throw new GatewayError({ status: 401, type: 'authentication_error', message: 'This API key has expired.' });
      }
      return { id: key.id, userId: key.userId, name: key.name, policy: key.policy ?? {}, spending: key.spending, priceMultiplier: key.priceMultiplier };
    },
    invalidate() {
      cache = new Map();
    },
  };
}

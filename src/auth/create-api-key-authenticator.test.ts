import { describe, expect, it, vi } from 'vitest';
import { GatewayError } from '../errors/gateway-error.js';
import { hashApiKeySecret } from '../storage/hash-api-key-secret.js';
import { createApiKeyAuthenticator, type StoredApiKey } from './create-api-key-authenticator.js';

const NOW = 1_760_000_000_000;
const SECRET = 'sk-mr-0123456789abcdefghij';

function storedKey(overrides: Partial<StoredApiKey> = {}): StoredApiKey {
  return { id: 'key_1', userId: 'user_1', name: 'laptop', status: 'active', expiresAt: null, ...overrides };
}

/** A promise with its resolve and reject, to hold a lookup open. */
function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((onResolve, onReject) => {
    resolve = onResolve;
    reject = onReject;
  });
  return { promise, resolve, reject };
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection');
}

async function expect401(promise: Promise<unknown>, message: string) {
  const error = await rejection(promise);
  expect(error).toBeInstanceOf(GatewayError);
  expect(error).toMatchObject({ status: 401, type: 'authentication_error', message });
}

describe('createApiKeyAuthenticator', () => {
  it('looks the key up by the hex SHA-256 of the secret, as storage hashes it', async () => {
    const findByHash = vi.fn(async () => storedKey());
    const authenticator = createApiKeyAuthenticator({ findByHash, now: () => NOW });
    await authenticator.authenticate('abc');
    // SHA-256("abc"), the FIPS 180-2 test vector.
    expect(findByHash).toHaveBeenCalledWith('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    await authenticator.authenticate(SECRET);
    expect(findByHash).toHaveBeenLastCalledWith(hashApiKeySecret(SECRET));
  });

  it('returns the id, user, name and policy of an active key', async () => {
    const authenticator = createApiKeyAuthenticator({ findByHash: async () => storedKey(), now: () => NOW });
    expect(await authenticator.authenticate(SECRET)).toEqual({ id: 'key_1', userId: 'user_1', name: 'laptop', policy: {}, spending: undefined, priceMultiplier: undefined });
  });

  it('accepts a key until the millisecond before it expires', async () => {
    let now = NOW;
    const authenticator = createApiKeyAuthenticator({ findByHash: async () => storedKey({ expiresAt: NOW + 1 }), now: () => now });
    await expect(authenticator.authenticate(SECRET)).resolves.toMatchObject({ id: 'key_1' });
    now = NOW + 1;
    await expect401(authenticator.authenticate(SECRET), 'This API key has expired.');
  });

  describe('bad keys', () => {
    it('refuses a missing or empty key without a lookup', async () => {
      const findByHash = vi.fn(async () => storedKey());
      const authenticator = createApiKeyAuthenticator({ findByHash });
      await expect401(authenticator.authenticate(undefined), 'x-api-key header is required (or Authorization: Bearer <key>).');
      await expect401(authenticator.authenticate(''), 'x-api-key header is required (or Authorization: Bearer <key>).');
      expect(findByHash).not.toHaveBeenCalled();
    });

    it('refuses an unknown key', async () => {
      const authenticator = createApiKeyAuthenticator({ findByHash: async () => undefined });
      await expect401(authenticator.authenticate('sk-mr-nope'), 'invalid x-api-key');
    });

    it('refuses a revoked key, even one with an expiry still in the future', async () => {
      const authenticator = createApiKeyAuthenticator({
        findByHash: async () => storedKey({ status: 'revoked', expiresAt: NOW + 60_000 }),
        now: () => NOW,
      });
      await expect401(authenticator.authenticate(SECRET), 'This API key has been revoked.');
    });

    it('refuses a key whose expiry has passed', async () => {
      const authenticator = createApiKeyAuthenticator({ findByHash: async () => storedKey({ expiresAt: NOW - 1 }), now: () => NOW });
      await expect401(authenticator.authenticate(SECRET), 'This API key has expired.');
    });
  });

  describe('cache', () => {
    it('answers a second time without a lookup, found and not found alike', async () => {
      const findByHash = vi.fn(async (hash: string) => (hash === hashApiKeySecret(SECRET) ? storedKey() : undefined));
      const authenticator = createApiKeyAuthenticator({ findByHash, now: () => NOW });
      await authenticator.authenticate(SECRET);
      await authenticator.authenticate(SECRET);
      await expect401(authenticator.authenticate('sk-mr-unknown'), 'invalid x-api-key');
      await expect401(authenticator.authenticate('sk-mr-unknown'), 'invalid x-api-key');
      expect(findByHash).toHaveBeenCalledTimes(2);
    });

    it('still checks the expiry of a cached key against the clock', async () => {
      let now = NOW;
      const findByHash = vi.fn(async () => storedKey({ expiresAt: NOW + 1000 }));
      const authenticator = createApiKeyAuthenticator({ findByHash, now: () => now });
      await authenticator.authenticate(SECRET);
      now = NOW + 1000;
      await expect401(authenticator.authenticate(SECRET), 'This API key has expired.');
      expect(findByHash).toHaveBeenCalledTimes(1);
    });

    it('looks again after invalidate(), and sees a revocation made meanwhile', async () => {
      let stored = storedKey();
      const findByHash = vi.fn(async () => stored);
      const authenticator = createApiKeyAuthenticator({ findByHash, now: () => NOW });
      await authenticator.authenticate(SECRET);
      stored = storedKey({ status: 'revoked' });
      await authenticator.authenticate(SECRET); // cached: still accepted until told
      authenticator.invalidate();
      await expect401(authenticator.authenticate(SECRET), 'This API key has been revoked.');
      expect(findByHash).toHaveBeenCalledTimes(2);
    });

    it('shares one lookup between concurrent requests with the same key', async () => {
      const pending = deferred<StoredApiKey | undefined>();
      const findByHash = vi.fn(() => pending.promise);
      const authenticator = createApiKeyAuthenticator({ findByHash, now: () => NOW });
      const calls = [authenticator.authenticate(SECRET), authenticator.authenticate(SECRET), authenticator.authenticate(SECRET)];
      expect(findByHash).toHaveBeenCalledTimes(1);
      pending.resolve(storedKey());
      expect(await Promise.all(calls)).toEqual(Array(3).fill({ id: 'key_1', userId: 'user_1', name: 'laptop', policy: {}, spending: undefined, priceMultiplier: undefined }));
    });

    it('does not remember a failed lookup: every waiting request fails, the next one looks again', async () => {
      const pending = deferred<StoredApiKey | undefined>();
      const databaseDown = new Error('SQLITE_BUSY: database is locked');
      const findByHash = vi.fn().mockReturnValueOnce(pending.promise).mockResolvedValue(storedKey());
      const authenticator = createApiKeyAuthenticator({ findByHash, now: () => NOW });
      const first = authenticator.authenticate(SECRET);
      const second = authenticator.authenticate(SECRET);
      pending.reject(databaseDown);
      // The storage error comes through as it is (a 500 upstream of here), not as a 401.
      expect(await rejection(first)).toBe(databaseDown);
      expect(await rejection(second)).toBe(databaseDown);
      await expect(authenticator.authenticate(SECRET)).resolves.toMatchObject({ id: 'key_1' });
      await authenticator.authenticate(SECRET);
      expect(findByHash).toHaveBeenCalledTimes(2);
    });

    it('does not let a stale lookup that fails after invalidate() evict the fresh one', async () => {
      const stale = deferred<StoredApiKey | undefined>();
      const fresh = deferred<StoredApiKey | undefined>();
      const findByHash = vi.fn().mockReturnValueOnce(stale.promise).mockReturnValueOnce(fresh.promise).mockResolvedValue(undefined);
      const authenticator = createApiKeyAuthenticator({ findByHash, now: () => NOW });
      const before = authenticator.authenticate(SECRET);
      authenticator.invalidate();
      const after = authenticator.authenticate(SECRET);
      stale.reject(new Error('connection lost'));
      await rejection(before);
      fresh.resolve(storedKey());
      await after;
      await expect(authenticator.authenticate(SECRET)).resolves.toMatchObject({ id: 'key_1' });
      expect(findByHash).toHaveBeenCalledTimes(2);
    });

    it('starts over instead of growing past 50,000 cached answers', async () => {
      const findByHash = vi.fn(async () => undefined);
      const authenticator = createApiKeyAuthenticator({ findByHash });
      const attempt = (secret: string) => authenticator.authenticate(secret).catch(() => undefined);
      for (let index = 0; index < 50_000; index++) await attempt(`random-${index}`);
      await attempt('random-0');
      expect(findByHash).toHaveBeenCalledTimes(50_000); // still cached: the cache holds 50,000
      await attempt('one-more'); // the 50,001st answer empties the cache first
      await attempt('random-0');
      expect(findByHash).toHaveBeenCalledTimes(50_002);
    });
  });
});

import type { Kysely, Selectable } from 'kysely';
import type { ApiKey } from '../api-key.js';
import type { ApiKeyPolicy } from '../api-key-policy.js';
import type { Database } from '../database.js';
import type { ApiKeysTable, DatabaseSchema } from '../database-schema.js';
import { generateApiKeySecret } from '../generate-api-key-secret.js';
import { generateId } from '../generate-id.js';
import { hashApiKeySecret } from '../hash-api-key-secret.js';
import { isUniqueViolation } from '../is-unique-violation.js';
import { toSafeInteger } from '../to-safe-integer.js';
import { writeTransaction } from '../write-transaction.js';
import { bumpRevision } from './bump-revision.js';

export interface ApiKeyRepository {
  /**
   * Issues a key. Without `secret` a new `sk-mr-…` secret is generated. The
   * secret is returned once and never stored. Throws if an active key already
   * has `name` or the secret is already in use.
   */
  create(input: {
    userId: string;
    name: string;
    secret?: string;
    expiresAt?: number | null;
    policy?: ApiKeyPolicy;
  }): Promise<{ apiKey: ApiKey; secret: string }>;
  /**
   * The key a presented secret belongs to, whatever its status: callers must
   * check `status` and `expiresAt` (and can then tell "revoked" from "unknown").
   */
  findBySecret(secret: string): Promise<ApiKey | undefined>;
  /** `findBySecret` for callers that already hashed the secret (an auth cache keyed by hash). */
  findByHash(secretHash: string): Promise<ApiKey | undefined>;
  findById(id: string): Promise<ApiKey | undefined>;
  /** The active key with this name, else the most recently created revoked one. */
  findByName(name: string): Promise<ApiKey | undefined>;
  /** Oldest first; every status unless filtered. */
  list(filter?: { userId?: string; status?: ApiKey['status'] }): Promise<ApiKey[]>;
  /**
   * Revokes by id, else by name (the active key with that name). Returns
   * whether such a key exists; revoking an already revoked key is a no-op that
   * returns true.
   */
  revoke(idOrName: string): Promise<boolean>;
  /**
   * Makes the key declared in config (a fixed name and secret) exist. Config is
   * re-applied on every start, so this must converge without duplicating keys:
   *
   * - secret unknown, no active key named `name`: insert it → `created`;
   * - secret unknown, an active key named `name` has another secret: the
   *   secret was rotated in config, so revoke the old key and insert a new one
   *   under the same name → `rotated`. A new id rather than an in-place hash
   *   change keeps the ledger able to tell which secret made which request,
   *   and the old secret stops working at once;
   * - secret known and active: update its name / owner if config changed them
   *   → `updated`, else `unchanged`;
   * - secret known but revoked → `revoked`, left revoked. Revocation is a
   *   security decision (the secret may have leaked) and must not be undone by
   *   a restart that re-reads a stale config; callers should warn.
   */
  upsertFixed(input: { userId: string; name: string; secret: string; policy?: ApiKeyPolicy }): Promise<{
    apiKey: ApiKey;
    action: 'created' | 'rotated' | 'updated' | 'unchanged' | 'revoked';
  }>;
  /**
   * Records use by the gateway, batched. Never moves a timestamp backwards and
   * deliberately does not bump the `api_keys` revision: it is display-only
   * metadata, and bumping would make every process reload on every request.
   */
  touchLastUsed(ids: readonly string[], at: number): Promise<void>;
  /** Replaces the policy of the active key with this id or name; returns whether it exists. */
  setPolicy(idOrName: string, policy: ApiKeyPolicy): Promise<boolean>;
}

/** Collection name bumped in `revisions` whenever keys change. */
const REVISION = 'api_keys';
/** Length of the display prefix: `sk-mr-` plus six characters of a generated secret. */
const PREFIX_LENGTH = 12;
/**
 * Caller-chosen secrets (config, CLI) are hashed with plain SHA-256 like
 * generated ones, so they must not be short; 16 matches the config schema.
 */
const MIN_SECRET_LENGTH = 16;
/** Keeps `IN (…)` lists far below SQLite's bound-parameter limit. */
const IN_LIST_CHUNK = 500;

export function createApiKeyRepository(database: Database): ApiKeyRepository {
  const { db } = database;

  const insertKey = async (
    trx: Kysely<DatabaseSchema>,
    input: { userId: string; name: string; secret: string; expiresAt: number | null; policy?: ApiKeyPolicy | undefined },
  ): Promise<ApiKey> => {
    // The foreign key would reject it too, but with a driver-specific message.
    if ((await trx.selectFrom('users').select('id').where('id', '=', input.userId).executeTakeFirst()) === undefined) {
      throw new Error(`cannot create API key ${JSON.stringify(input.name)}: unknown user id ${input.userId}`);
    }
    const row = await trx
      .insertInto('api_keys')
      .values({
        id: generateId('key'),
        user_id: input.userId,
        name: input.name,
        prefix: displayPrefix(input.secret),
        secret_hash: hashApiKeySecret(input.secret),
        status: 'active',
        created_at: Date.now(),
        revoked_at: null,
        expires_at: input.expiresAt,
        last_used_at: null,
        policy: JSON.stringify(input.policy ?? {}),
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    return toApiKey(row);
  };

  const selectActiveByName = async (executor: Kysely<DatabaseSchema>, name: string) =>
    executor
      .selectFrom('api_keys')
      .selectAll()
      .where('name', '=', name)
      .where('status', '=', 'active')
      .executeTakeFirst();

  const selectByHash = async (executor: Kysely<DatabaseSchema>, secretHash: string) =>
    executor.selectFrom('api_keys').selectAll().where('secret_hash', '=', secretHash).executeTakeFirst();

  const markRevoked = async (trx: Kysely<DatabaseSchema>, id: string, at: number) =>
    trx
      .updateTable('api_keys')
      .set({ status: 'revoked', revoked_at: at })
      .where('id', '=', id)
      .where('status', '=', 'active')
      .returningAll()
      .executeTakeFirstOrThrow();

  return {
    async create({ userId, name, secret, expiresAt = null, policy }) {
      validateName(name);
      if (secret !== undefined) {
        validateSecret(secret);
      }
      if (expiresAt !== null && !Number.isSafeInteger(expiresAt)) {
        throw new TypeError(`expiresAt must be epoch milliseconds, got ${String(expiresAt)}`);
      }
      const plaintext = secret ?? generateApiKeySecret();
      try {
        const apiKey = await writeTransaction(database, async (trx) => {
          if ((await selectActiveByName(trx, name)) !== undefined) {
            throw new Error(`an active API key named ${JSON.stringify(name)} already exists`);
          }
          if ((await selectByHash(trx, hashApiKeySecret(plaintext))) !== undefined) {
            throw new Error('this API key secret is already in use by another key');
          }
          const created = await insertKey(trx, { userId, name, secret: plaintext, expiresAt, policy });
          await bumpRevision(trx, REVISION);
          return created;
        });
        return { apiKey, secret: plaintext };
      } catch (error) {
        // The checks above cover the common case; the constraint catches a
        // concurrent creator (PostgreSQL READ COMMITTED) with the same name.
        if (isUniqueViolation(error)) {
          throw new Error(`an active API key named ${JSON.stringify(name)} or with this secret already exists`, {
            cause: error,
          });
        }
        throw error;
      }
    },

    async findBySecret(secret) {
      const row = await selectByHash(db, hashApiKeySecret(secret));
      return row && toApiKey(row);
    },

    async findByHash(secretHash) {
      const row = await selectByHash(db, secretHash);
      return row && toApiKey(row);
    },

    async findById(id) {
      const row = await db.selectFrom('api_keys').selectAll().where('id', '=', id).executeTakeFirst();
      return row && toApiKey(row);
    },

    async findByName(name) {
      const row =
        (await selectActiveByName(db, name)) ??
        (await db
          .selectFrom('api_keys')
          .selectAll()
          .where('name', '=', name)
          .orderBy('created_at', 'desc')
          .orderBy('id', 'desc')
          .executeTakeFirst());
      return row && toApiKey(row);
    },

    async list(filter = {}) {
      let query = db.selectFrom('api_keys').selectAll();
      if (filter.userId !== undefined) query = query.where('user_id', '=', filter.userId);
      if (filter.status !== undefined) query = query.where('status', '=', filter.status);
      const rows = await query.orderBy('created_at').orderBy('id').execute();
      return rows.map(toApiKey);
    },

    async revoke(idOrName) {
      return writeTransaction(database, async (trx) => {
        const target =
          (await trx.selectFrom('api_keys').selectAll().where('id', '=', idOrName).executeTakeFirst()) ??
          (await selectActiveByName(trx, idOrName)) ??
          (await trx.selectFrom('api_keys').selectAll().where('name', '=', idOrName).executeTakeFirst());
        if (target === undefined) {
          return false;
        }
        if (target.status === 'active') {
          await markRevoked(trx, target.id, Date.now());
          await bumpRevision(trx, REVISION);
        }
        return true;
      });
    },

    async upsertFixed({ userId, name, secret, policy = {} }) {
      validateName(name);
      validateSecret(secret);
      const secretHash = hashApiKeySecret(secret);
      return writeTransaction(database, async (trx) => {
        const existing = await selectByHash(trx, secretHash);
        if (existing !== undefined) {
          if (existing.status !== 'active') {
            return { apiKey: toApiKey(existing), action: 'revoked' as const };
          }
          const policyText = JSON.stringify(policy);
          if (existing.name === name && existing.user_id === userId && existing.policy === policyText) {
            return { apiKey: toApiKey(existing), action: 'unchanged' as const };
          }
          if (existing.name !== name && (await selectActiveByName(trx, name)) !== undefined) {
            throw new Error(
              `cannot rename API key ${JSON.stringify(existing.name)} to ${JSON.stringify(name)}: ` +
                'another active key already has that name',
            );
          }
          const updated = await trx
            .updateTable('api_keys')
            .set({ name, user_id: userId, policy: policyText })
            .where('id', '=', existing.id)
            .returningAll()
            .executeTakeFirstOrThrow();
          await bumpRevision(trx, REVISION);
          return { apiKey: toApiKey(updated), action: 'updated' as const };
        }
        const previous = await selectActiveByName(trx, name);
        if (previous !== undefined) {
          await markRevoked(trx, previous.id, Date.now());
        }
        const created = await insertKey(trx, { userId, name, secret, expiresAt: null, policy });
        await bumpRevision(trx, REVISION);
        return { apiKey: created, action: previous === undefined ? ('created' as const) : ('rotated' as const) };
      });
    },

    async setPolicy(idOrName, policy) {
      return writeTransaction(database, async (trx) => {
        const target =
          (await trx.selectFrom('api_keys').select('id').where('id', '=', idOrName).where('status', '=', 'active').executeTakeFirst()) ??
          (await selectActiveByName(trx, idOrName));
        if (target === undefined) return false;
        await trx.updateTable('api_keys').set({ policy: JSON.stringify(policy) }).where('id', '=', target.id).execute();
        await bumpRevision(trx, REVISION);
        return true;
      });
    },

    async touchLastUsed(ids, at) {
      if (!Number.isSafeInteger(at)) {
        throw new TypeError(`touchLastUsed: "at" must be epoch milliseconds, got ${String(at)}`);
      }
      const unique = [...new Set(ids)];
      for (let start = 0; start < unique.length; start += IN_LIST_CHUNK) {
        await db
          .updateTable('api_keys')
          .set({ last_used_at: at })
          .where('id', 'in', unique.slice(start, start + IN_LIST_CHUNK))
          .where((eb) => eb.or([eb('last_used_at', 'is', null), eb('last_used_at', '<', at)]))
          .execute();
      }
    },
  };
}

function validateName(name: string): void {
  if (name.trim() === '' || name !== name.trim()) {
    throw new Error(`invalid API key name ${JSON.stringify(name)}`);
  }
}

function validateSecret(secret: string): void {
  // Printable ASCII without spaces: anything else would not survive an HTTP
  // header (x-api-key / Authorization) intact, so the key could never match.
  if (!/^[\x21-\x7e]+$/.test(secret)) {
    throw new Error('API key secret must be printable ASCII without spaces');
  }
  if (secret.length < MIN_SECRET_LENGTH) {
    throw new Error(`API key secret must be at least ${MIN_SECRET_LENGTH} characters`);
  }
}

/**
 * The first 12 characters, but never more than a third of the secret: for a
 * generated key that is `sk-mr-` plus 6 of its 40 random characters, while a
 * short caller-chosen secret keeps most of itself hidden.
 */
function displayPrefix(secret: string): string {
  return secret.slice(0, Math.min(PREFIX_LENGTH, Math.floor(secret.length / 3)));
}

function toApiKey(row: Selectable<ApiKeysTable>): ApiKey {
  return {
    id: row.id,
    userId: row.user_id,
    name: row.name,
    prefix: row.prefix,
    secretHash: row.secret_hash,
    status: row.status as ApiKey['status'],
    createdAt: toSafeInteger(row.created_at, 'api_keys.created_at'),
    revokedAt: nullableInteger(row.revoked_at, 'api_keys.revoked_at'),
    expiresAt: nullableInteger(row.expires_at, 'api_keys.expires_at'),
    lastUsedAt: nullableInteger(row.last_used_at, 'api_keys.last_used_at'),
    policy: JSON.parse(row.policy || '{}') as ApiKeyPolicy,
    quotaUsedNanoUsd: toSafeInteger(row.quota_used_nano_usd ?? 0, 'api_keys.quota_used_nano_usd'),
  };
}

function nullableInteger(value: unknown, what: string): number | null {
  return value === null || value === undefined ? null : toSafeInteger(value, what);
}

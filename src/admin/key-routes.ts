import { z } from 'zod';
import type { ApiKey } from '../storage/api-key.js';
import type { ApiKeyPolicy } from '../storage/api-key-policy.js';
import type { AdminContext } from './admin-context.js';
import { adminErrors } from './admin-errors.js';
import type { AdminRoute } from './admin-route.js';
import { findUserByIdOrName } from './find-user-by-id-or-name.js';
import { formatInstant } from './format-instant.js';
import { formatNanoUsd } from '../metering/money/usd-amount.js';
import { isIpAddressOrRange } from './is-ip-address-or-range.js';
import { parseAdminInput } from './parse-admin-input.js';
import { parseInstant } from './parse-instant.js';
import { parseUsdField } from './parse-usd-field.js';

const count = z.number().int().positive().max(Number.MAX_SAFE_INTEGER);
const allowedModels = z.array(z.string().min(1)).min(1);
const allowedIps = z.array(z.string().refine(isIpAddressOrRange, 'an IPv4 or IPv6 address or CIDR range, e.g. "10.0.0.0/8"')).min(1);
const quotaUsd = z.string().regex(/^\d+(\.\d+)?$/, 'a non-negative decimal amount of US dollars as a string, e.g. "50"');
const keyName = z
  .string()
  .min(1)
  .max(128)
  .refine((name) => name === name.trim(), 'no surrounding spaces');

/** A key's restrictions are absent (unrestricted) unless given. */
const createSchema = z
  .object({
    name: keyName,
    /** The owner's id or name. */
    user: z.string().min(1),
    expires_at: z.string().nullable().optional(),
    allowed_models: allowedModels.optional(),
    allowed_ips: allowedIps.optional(),
    requests_per_minute: count.optional(),
    tokens_per_minute: count.optional(),
    concurrent_requests: count.optional(),
    quota_usd: quotaUsd.optional(),
  })
  .strict();
/** A value sets a restriction, null removes it, absent keeps it. */
const patchSchema = z
  .object({
    allowed_models: allowedModels.nullable().optional(),
    allowed_ips: allowedIps.nullable().optional(),
    requests_per_minute: count.nullable().optional(),
    tokens_per_minute: count.nullable().optional(),
    concurrent_requests: count.nullable().optional(),
    quota_usd: quotaUsd.nullable().optional(),
  })
  .strict();
type PolicyInput = z.infer<typeof patchSchema>;

const listQuery = z.object({ user: z.string().min(1).optional(), status: z.enum(['active', 'revoked']).optional() }).strict();

/** API keys: issued (the secret answered once), restricted, revoked. */
export const KEY_ROUTES: readonly AdminRoute[] = [
  {
    method: 'GET',
    path: '/keys',
    authenticated: true,
    async handle(request, context) {
      const query = parseAdminInput({ schema: listQuery, value: Object.fromEntries(request.query), where: 'query' });
      let userId: string | undefined;
      if (query.user !== undefined) {
        const user = await findUserByIdOrName(context, query.user);
        if (!user) throw adminErrors.invalid('user', `no user with id or name ${JSON.stringify(query.user)}`);
        userId = user.id;
      }
      const keys = await context.storage.apiKeys.list({ ...(userId ? { userId } : {}), ...(query.status ? { status: query.status } : {}) });
      const names = await userNames(context);
      return { status: 200, body: { data: keys.map((key) => presentKey(key, names)) } };
    },
  },
  {
    method: 'POST',
    path: '/keys',
    authenticated: true,
    async handle(request, context) {
      const input = parseAdminInput({ schema: createSchema, value: request.body });
      const user = await findUserByIdOrName(context, input.user);
      if (!user) throw adminErrors.invalid('user', `no user with id or name ${JSON.stringify(input.user)} (create it with POST /admin/v1/users)`);
      let expiresAt: number | null = null;
      if (typeof input.expires_at === 'string') {
        expiresAt = parseInstant({ text: input.expires_at, field: 'expires_at' });
        if (expiresAt <= Date.now()) throw adminErrors.invalid('expires_at', 'must be in the future');
      }
      if (await context.storage.apiKeys.findByName(input.name).then((key) => key?.status === 'active')) {
        throw adminErrors.conflict(`An active key named ${JSON.stringify(input.name)} already exists.`);
      }
      const { apiKey, secret } = await context.storage.apiKeys.create({ userId: user.id, name: input.name, expiresAt, policy: applyPolicy({}, input) });
      return { status: 201, body: { ...presentKey(apiKey, new Map([[user.id, user.name]])), secret } };
    },
  },
  {
    method: 'GET',
    path: '/keys/{key}',
    authenticated: true,
    async handle(request, context) {
      return { status: 200, body: presentKey(await requireKey(context, request.params.key!), await userNames(context)) };
    },
  },
  {
    method: 'PATCH',
    path: '/keys/{key}',
    authenticated: true,
    async handle(request, context) {
      const input = parseAdminInput({ schema: patchSchema, value: request.body });
      const key = await requireKey(context, request.params.key!);
      if (key.status !== 'active') throw adminErrors.conflict(`Key ${key.id} is revoked; its restrictions can no longer change.`);
      if (!(await context.storage.apiKeys.setPolicy(key.id, applyPolicy(key.policy, input)))) {
        throw adminErrors.conflict(`Key ${key.id} was revoked meanwhile.`);
      }
      return { status: 200, body: presentKey((await context.storage.apiKeys.findById(key.id))!, await userNames(context)) };
    },
  },
  {
    method: 'POST',
    path: '/keys/{key}/revoke',
    authenticated: true,
    async handle(request, context) {
      const key = await requireKey(context, request.params.key!);
      await context.storage.apiKeys.revoke(key.id);
      return { status: 200, body: presentKey((await context.storage.apiKeys.findById(key.id))!, await userNames(context)) };
    },
  },
];

/** Keys are named by id (`key_…`), else by name (the active key with it, else the newest revoked one). */
async function requireKey(context: AdminContext, idOrName: string): Promise<ApiKey> {
  const key = (await context.storage.apiKeys.findById(idOrName)) ?? (await context.storage.apiKeys.findByName(idOrName));
  if (!key) throw adminErrors.notFound(`No API key with id or name ${JSON.stringify(idOrName)}.`);
  return key;
}

/** The stored policy with the request's fields applied: a value sets, null removes, absent keeps. */
function applyPolicy(current: ApiKeyPolicy, input: PolicyInput): ApiKeyPolicy {
  const next: ApiKeyPolicy = { ...current };
  const set = <Field extends keyof ApiKeyPolicy>(field: Field, value: ApiKeyPolicy[Field] | null | undefined) => {
    if (value === null) delete next[field];
    else if (value !== undefined) next[field] = value;
  };
  set('allowedModels', input.allowed_models);
  set('allowedIps', input.allowed_ips);
  set('requestsPerMinute', input.requests_per_minute);
  set('tokensPerMinute', input.tokens_per_minute);
  set('concurrentRequests', input.concurrent_requests);
  set('quotaNanoUsd', typeof input.quota_usd === 'string' ? parseUsdField({ text: input.quota_usd, field: 'quota_usd' }) : input.quota_usd);
  return next;
}

async function userNames(context: AdminContext): Promise<Map<string, string>> {
  return new Map((await context.storage.users.list()).map((user) => [user.id, user.name]));
}

function presentKey(key: ApiKey, userNames: ReadonlyMap<string, string>) {
  const { policy } = key;
  return {
    id: key.id,
    name: key.name,
    user_id: key.userId,
    user: userNames.get(key.userId) ?? null,
    prefix: key.prefix,
    status: key.status,
    created_at: formatInstant(key.createdAt),
    expires_at: formatInstant(key.expiresAt),
    revoked_at: formatInstant(key.revokedAt),
    last_used_at: formatInstant(key.lastUsedAt),
    allowed_models: policy.allowedModels ?? null,
    allowed_ips: policy.allowedIps ?? null,
    requests_per_minute: policy.requestsPerMinute ?? null,
    tokens_per_minute: policy.tokensPerMinute ?? null,
    concurrent_requests: policy.concurrentRequests ?? null,
    quota_nano_usd: policy.quotaNanoUsd ?? null,
    quota_usd: policy.quotaNanoUsd === undefined ? null : formatNanoUsd(policy.quotaNanoUsd),
    quota_used_nano_usd: key.quotaUsedNanoUsd,
    quota_used_usd: formatNanoUsd(key.quotaUsedNanoUsd),
  };
}

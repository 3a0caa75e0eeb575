import { z } from 'zod';
import type { User } from '../storage/user.js';
import type { AdminContext } from './admin-context.js';
import { adminErrors } from './admin-errors.js';
import type { AdminRoute } from './admin-route.js';
import { findUserByIdOrName } from './find-user-by-id-or-name.js';
import { formatInstant } from './format-instant.js';
import { formatNanoUsd } from '../metering/money/usd-amount.js';
import { describeRefusedCredit } from '../metering/money/describe-refused-credit.js';
import { parseAdminInput } from './parse-admin-input.js';
import { parseUsdField } from './parse-usd-field.js';

const userName = z
  .string()
  .min(1)
  .max(128)
  .refine((name) => name === name.trim() && !/[\u0000-\u001f\u007f]/.test(name), 'no surrounding spaces or control characters');
const role = z.enum(['admin', 'user']);
const usd = z.string().regex(/^-?\d+(\.\d+)?$/, 'a decimal amount of US dollars as a string, e.g. "12.50"');

const createSchema = z.object({ name: userName, role: role.default('user') }).strict();
const patchSchema = z
  .object({
    role: role.optional(),
    /** A price group's name, or null for list prices. */
    group: z.string().min(1).nullable().optional(),
    spend_limit: z.object({ amount_usd: usd, period: z.enum(['day', 'week', 'month']) }).strict().nullable().optional(),
  })
  .strict();
const creditSchema = z.object({ amount_usd: usd }).strict();

/** Users: who owns keys, their role, balance, price group and spending limit. */
export const USER_ROUTES: readonly AdminRoute[] = [
  {
    method: 'GET',
    path: '/users',
    authenticated: true,
    async handle(_request, context) {
      return { status: 200, body: { data: (await context.storage.users.list()).map(presentUser) } };
    },
  },
  {
    method: 'POST',
    path: '/users',
    authenticated: true,
    async handle(request, context) {
      const input = parseAdminInput({ schema: createSchema, value: request.body });
      if (await context.storage.users.findByName(input.name)) throw adminErrors.conflict(`A user named ${JSON.stringify(input.name)} already exists.`);
      const user = await context.storage.users.ensure({ name: input.name, role: input.role });
      return { status: 201, body: presentUser(user) };
    },
  },
  {
    method: 'GET',
    path: '/users/{user}',
    authenticated: true,
    async handle(request, context) {
      return { status: 200, body: presentUser(await requireUser(context, request.params.user!)) };
    },
  },
  {
    method: 'PATCH',
    path: '/users/{user}',
    authenticated: true,
    async handle(request, context) {
      const input = parseAdminInput({ schema: patchSchema, value: request.body });
      const user = await requireUser(context, request.params.user!);
      if (input.role === 'user' && user.id === request.caller?.userId) {
        // The last admin demoting themselves would leave nobody able to use this API.
        throw adminErrors.conflict('You cannot remove your own admin role; ask another admin.');
      }
      if (typeof input.group === 'string' && !(await context.storage.userGroups.find(input.group))) {
        throw adminErrors.invalid('group', `no price group named ${JSON.stringify(input.group)} (create it with PUT /admin/v1/groups/{name})`);
      }
      const limit = input.spend_limit;
      const updated = await context.storage.users.update(user.id, {
        ...(input.role === undefined ? {} : { role: input.role }),
        ...(input.group === undefined ? {} : { groupName: input.group }),
        ...(limit === undefined
          ? {}
          : {
              spendLimit:
                limit === null
                  ? null
                  : { amountNanoUsd: parseUsdField({ text: limit.amount_usd, field: 'spend_limit.amount_usd' }), period: limit.period },
            }),
      });
      if (!updated) throw adminErrors.notFound(`No user ${JSON.stringify(request.params.user)}.`);
      return { status: 200, body: presentUser(updated) };
    },
  },
  {
    method: 'POST',
    path: '/users/{user}/credit',
    authenticated: true,
    async handle(request, context) {
      const input = parseAdminInput({ schema: creditSchema, value: request.body });
      const amount = parseUsdField({ text: input.amount_usd, field: 'amount_usd', allowNegative: true });
      const user = await requireUser(context, request.params.user!);
      if (!(await context.storage.users.credit(user.name, amount))) {
        const shown = (await context.storage.users.findById(user.id))?.balanceNanoUsd ?? 0;
        throw adminErrors.conflict(describeRefusedCredit({ name: user.name, shownNanoUsd: shown, amountNanoUsd: amount }));
      }
      return { status: 200, body: presentUser((await context.storage.users.findById(user.id))!) };
    },
  },
];

async function requireUser(context: AdminContext, idOrName: string): Promise<User> {
  const user = await findUserByIdOrName(context, idOrName);
  if (!user) throw adminErrors.notFound(`No user with id or name ${JSON.stringify(idOrName)}.`);
  return user;
}

function presentUser(user: User) {
  return {
    id: user.id,
    name: user.name,
    role: user.role,
    group: user.groupName,
    billed: user.balanceNanoUsd !== null,
    balance_nano_usd: user.balanceNanoUsd,
    balance_usd: user.balanceNanoUsd === null ? null : formatNanoUsd(user.balanceNanoUsd),
    spend_limit:
      user.spendLimit === null
        ? null
        : { amount_nano_usd: user.spendLimit.amountNanoUsd, amount_usd: formatNanoUsd(user.spendLimit.amountNanoUsd), period: user.spendLimit.period },
    period_spent_nano_usd: user.periodSpentNanoUsd,
    period_spent_usd: formatNanoUsd(user.periodSpentNanoUsd),
    period_started_at: formatInstant(user.periodStartedAt),
    created_at: formatInstant(user.createdAt),
  };
}

import { z } from 'zod';
import type { UserGroup } from '../storage/user-group.js';
import { adminErrors } from './admin-errors.js';
import type { AdminRoute } from './admin-route.js';
import { formatInstant } from './format-instant.js';
import { parseAdminInput } from './parse-admin-input.js';

const GROUP_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
const putSchema = z
  .object({
    /** Every cost of the group's users is multiplied by this exact decimal: "0.8" is 20 % off. */
    price_multiplier: z.string().regex(/^\d{1,6}(\.\d{1,12})?$/, 'a plain decimal as a string, e.g. "0.8" (up to 6 digits, 12 decimals)'),
  })
  .strict();

/** Price groups: a multiplier on every cost of the users in them. */
export const GROUP_ROUTES: readonly AdminRoute[] = [
  {
    method: 'GET',
    path: '/groups',
    authenticated: true,
    async handle(_request, context) {
      const members = countMembers((await context.storage.users.list()).map((user) => user.groupName));
      return { status: 200, body: { data: (await context.storage.userGroups.list()).map((group) => presentGroup(group, members)) } };
    },
  },
  {
    method: 'GET',
    path: '/groups/{group}',
    authenticated: true,
    async handle(request, context) {
      const group = await context.storage.userGroups.find(request.params.group!);
      if (!group) throw adminErrors.notFound(`No price group named ${JSON.stringify(request.params.group)}.`);
      const members = countMembers((await context.storage.users.list()).map((user) => user.groupName));
      return { status: 200, body: presentGroup(group, members) };
    },
  },
  {
    method: 'PUT',
    path: '/groups/{group}',
    authenticated: true,
    async handle(request, context) {
      const name = request.params.group!;
      if (!GROUP_NAME.test(name)) throw adminErrors.invalid('name', 'letters, digits, ".", "_" and "-", starting with a letter or digit, at most 64');
      const input = parseAdminInput({ schema: putSchema, value: request.body });
      const { group, created } = await context.storage.userGroups.upsert({ name, priceMultiplier: input.price_multiplier });
      const members = countMembers((await context.storage.users.list()).map((user) => user.groupName));
      return { status: created ? 201 : 200, body: presentGroup(group, members) };
    },
  },
  {
    method: 'DELETE',
    path: '/groups/{group}',
    authenticated: true,
    async handle(request, context) {
      const name = request.params.group!;
      const result = await context.storage.userGroups.remove(name);
      if (result === 'not_found') throw adminErrors.notFound(`No price group named ${JSON.stringify(name)}.`);
      if (result === 'in_use') throw adminErrors.conflict(`Price group ${JSON.stringify(name)} still has users; move them first (PATCH /admin/v1/users/{user} {"group": null}).`);
      return { status: 204 };
    },
  },
];

function countMembers(groupNames: ReadonlyArray<string | null>): Map<string, number> {
  const counts = new Map<string, number>();
  for (const name of groupNames) if (name !== null) counts.set(name, (counts.get(name) ?? 0) + 1);
  return counts;
}

function presentGroup(group: UserGroup, members: ReadonlyMap<string, number>) {
  return {
    name: group.name,
    price_multiplier: group.priceMultiplier,
    users: members.get(group.name) ?? 0,
    created_at: formatInstant(group.createdAt),
    updated_at: formatInstant(group.updatedAt),
  };
}

import type { Selectable } from 'kysely';
import type { Database } from '../database.js';
import type { UserGroupsTable } from '../database-schema.js';
import { toSafeInteger } from '../to-safe-integer.js';
import type { UserGroup } from '../user-group.js';
import { writeTransaction } from '../write-transaction.js';
import { bumpRevision } from './bump-revision.js';

export interface UserGroupRepository {
  /** Oldest first. */
  list(): Promise<UserGroup[]>;
  find(name: string): Promise<UserGroup | undefined>;
  /** Creates the group or changes its multiplier; `created` tells which. */
  upsert(input: { name: string; priceMultiplier: string }): Promise<{ group: UserGroup; created: boolean }>;
  /** Deletes an empty group; 'in_use' while users belong to it, 'not_found' when there is none. */
  remove(name: string): Promise<'removed' | 'in_use' | 'not_found'>;
}

/** Plain decimals only ("1", "0.8", "1.25"): the multiplier is parsed exactly, never as a float. */
const MULTIPLIER = /^\d{1,6}(\.\d{1,12})?$/;

export function createUserGroupRepository(database: Database): UserGroupRepository {
  const { db } = database;
  const find = async (name: string) => {
    const row = await db.selectFrom('user_groups').selectAll().where('name', '=', name).executeTakeFirst();
    return row && toUserGroup(row);
  };
  return {
    async list() {
      const rows = await db.selectFrom('user_groups').selectAll().orderBy('created_at').orderBy('name').execute();
      return rows.map(toUserGroup);
    },
    find,
    async upsert({ name, priceMultiplier }) {
      if (!/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/.test(name)) throw new Error(`invalid group name ${JSON.stringify(name)} (letters, digits, . _ -; at most 64)`);
      if (!MULTIPLIER.test(priceMultiplier)) throw new Error(`invalid price multiplier ${JSON.stringify(priceMultiplier)} (a plain decimal such as "0.8")`);
      return writeTransaction(database, async (trx) => {
        const now = Date.now();
        const existing = await trx.selectFrom('user_groups').select('name').where('name', '=', name).executeTakeFirst();
        if (existing) await trx.updateTable('user_groups').set({ price_multiplier: priceMultiplier, updated_at: now }).where('name', '=', name).execute();
        else await trx.insertInto('user_groups').values({ name, price_multiplier: priceMultiplier, created_at: now, updated_at: now }).execute();
        // Authenticated keys carry their user's multiplier: running servers must reload them.
        await bumpRevision(trx, 'api_keys');
        const row = await trx.selectFrom('user_groups').selectAll().where('name', '=', name).executeTakeFirstOrThrow();
        return { group: toUserGroup(row), created: !existing };
      });
    },
    async remove(name) {
      return writeTransaction(database, async (trx) => {
        const existing = await trx.selectFrom('user_groups').select('name').where('name', '=', name).executeTakeFirst();
        if (!existing) return 'not_found';
        const member = await trx.selectFrom('users').select('id').where('group_name', '=', name).executeTakeFirst();
        if (member) return 'in_use';
        await trx.deleteFrom('user_groups').where('name', '=', name).execute();
        return 'removed';
      });
    },
  };
}

function toUserGroup(row: Selectable<UserGroupsTable>): UserGroup {
  return {
    name: row.name,
    priceMultiplier: row.price_multiplier,
    createdAt: toSafeInteger(row.created_at, 'user_groups.created_at'),
    updatedAt: toSafeInteger(row.updated_at, 'user_groups.updated_at'),
  };
}

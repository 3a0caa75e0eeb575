import { sql, type Kysely, type Selectable, type Updateable } from 'kysely';
import type { Database } from '../database.js';
import type { DatabaseSchema, UsersTable } from '../database-schema.js';
import { generateId } from '../generate-id.js';
import { toSafeInteger } from '../to-safe-integer.js';
import { bumpRevision } from './bump-revision.js';
import type { User } from '../user.js';
import { isSpendPeriod, type SpendPeriod } from '../spend-period.js';
import { writeTransaction } from '../write-transaction.js';

export interface UserRepository {
  /** Adds (or, negative, takes) nano-USD to a user's balance, making them billed; false when unknown or it would go below zero. */
  credit(name: string, amountNanoUsd: number): Promise<boolean>;
  /**
   * Changes a user's role, price group (null: list prices) or spending limit
   * (null: none), found by id or name; the updated user, or undefined when
   * there is no such user. Throws on an unknown group.
   */
  update(
    idOrName: string,
    changes: { role?: User['role']; groupName?: string | null; spendLimit?: { amountNanoUsd: number; period: SpendPeriod } | null },
  ): Promise<User | undefined>;
  /**
   * Returns the user called `name`, creating it with `role` if missing. Safe
   * to race. An existing user's role is left alone: promoting or demoting
   * someone is a deliberate act, not a side effect of bootstrapping.
   */
  ensure(input: { name: string; role: User['role'] }): Promise<User>;
  findByName(name: string): Promise<User | undefined>;
  findById(id: string): Promise<User | undefined>;
  /** Oldest first. */
  list(): Promise<User[]>;
}

const ROLES: ReadonlySet<string> = new Set<User['role']>(['admin', 'user']);

export function createUserRepository(database: Database): UserRepository {
  const { db } = database;

  const findByName = async (name: string): Promise<User | undefined> => {
    const row = await selectUsers(db).where('name', '=', name).executeTakeFirst();
    return row && toUser(row);
  };

  return {
    async ensure({ name, role }) {
      if (name.trim() === '' || name !== name.trim()) {
        throw new Error(`invalid user name ${JSON.stringify(name)}`);
      }
      if (!ROLES.has(role)) {
        throw new Error(`invalid user role ${JSON.stringify(role)}`);
      }
      // Insert-or-ignore then read: correct even when two processes bootstrap
      // the same user at the same moment.
      await db
        .insertInto('users')
        .values({ id: generateId('usr'), name, role, created_at: Date.now() })
        .onConflict((conflict) => conflict.column('name').doNothing())
        .execute();
      const user = await findByName(name);
      if (user === undefined) {
        throw new Error(`user ${JSON.stringify(name)} vanished right after being ensured`);
      }
      return user;
    },

    findByName,

    async findById(id) {
      const row = await selectUsers(db).where('id', '=', id).executeTakeFirst();
      return row && toUser(row);
    },

    async credit(name, amountNanoUsd) {
      if (!Number.isSafeInteger(amountNanoUsd)) throw new RangeError(`credit: ${amountNanoUsd} is not a whole number of nano-USD`);
      // NULL (not billed) becomes a balance starting at 0; the sum happens in the database, so concurrent credits add up.
      const result = await db
        .updateTable('users')
        .set({ balance_nano_usd: sql`coalesce(balance_nano_usd, 0) + ${amountNanoUsd}` })
        .where('name', '=', name)
        .where(sql<boolean>`coalesce(balance_nano_usd, 0) + ${amountNanoUsd} >= 0`)
        .executeTakeFirst();
      // Keys carry whether their user is billed: running servers must reload them.
      if (Number(result.numUpdatedRows) === 1) await bumpRevision(db, 'api_keys');
      return Number(result.numUpdatedRows) === 1;
    },

    async update(idOrName, changes) {
      if (changes.role !== undefined && !ROLES.has(changes.role)) throw new Error(`invalid user role ${JSON.stringify(changes.role)}`);
      const limit = changes.spendLimit;
      if (limit) {
        if (!Number.isSafeInteger(limit.amountNanoUsd) || limit.amountNanoUsd < 0) throw new RangeError(`spending limit: ${limit.amountNanoUsd} is not a whole, non-negative number of nano-USD`);
        if (!isSpendPeriod(limit.period)) throw new Error(`invalid spending period ${JSON.stringify(limit.period)} (day, week or month)`);
      }
      return writeTransaction(database, async (trx) => {
        const row =
          (await selectUsers(trx).where('id', '=', idOrName).executeTakeFirst()) ??
          (await selectUsers(trx).where('name', '=', idOrName).executeTakeFirst());
        if (!row) return undefined;
        if (changes.groupName !== undefined && changes.groupName !== null) {
          const group = await trx.selectFrom('user_groups').select('name').where('name', '=', changes.groupName).executeTakeFirst();
          if (!group) throw new Error(`unknown user group ${JSON.stringify(changes.groupName)}`);
        }
        const set: Updateable<UsersTable> = {};
        if (changes.role !== undefined) set.role = changes.role;
        if (changes.groupName !== undefined) set.group_name = changes.groupName;
        if (limit !== undefined) {
          set.spend_limit_nano_usd = limit?.amountNanoUsd ?? null;
          set.spend_limit_period = limit?.period ?? null;
          // A different period starts counting afresh; the same period keeps what was spent in it.
          if (limit?.period !== row.spend_limit_period) {
            set.period_started_at = null;
            set.period_spent_nano_usd = 0;
          }
        }
        if (Object.keys(set).length > 0) {
          await trx.updateTable('users').set(set).where('id', '=', row.id).execute();
          // Keys carry their user's billing settings: running servers must reload them.
          await bumpRevision(trx, 'api_keys');
        }
        const updated = await selectUsers(trx).where('id', '=', row.id).executeTakeFirstOrThrow();
        return toUser(updated);
      });
    },

    async list() {
      const rows = await selectUsers(db).orderBy('created_at').orderBy('id').execute();
      return rows.map(toUser);
    },
  };
}

/**
 * Users with what balance leases hold of their balance (taken out of `balance_nano_usd` while a
 * server process reserves requests from it in memory; see create-balance-lease-repository.ts).
 */
function selectUsers(executor: Kysely<DatabaseSchema>) {
  return executor
    .selectFrom('users')
    .selectAll()
    .select(sql<number | string>`(select coalesce(sum(l.amount_nano_usd), 0) from balance_leases l where l.user_id = users.id)`.as('leased_nano_usd'));
}

/** `leased_nano_usd`, when the row has it, is counted into the balance: money a lease holds is still the user's. */
export function toUser(row: Selectable<UsersTable> & { leased_nano_usd?: number | string }): User {
  const limit = nullableInteger(row.spend_limit_nano_usd, 'users.spend_limit_nano_usd');
  return {
    id: row.id,
    name: row.name,
    role: row.role as User['role'],
    createdAt: toSafeInteger(row.created_at, 'users.created_at'),
    balanceNanoUsd: row.balance_nano_usd === null ? null : toSafeInteger(row.balance_nano_usd, 'users.balance_nano_usd') + toSafeInteger(row.leased_nano_usd ?? 0, 'leased_nano_usd'),
    groupName: row.group_name ?? null,
    spendLimit: limit !== null && isSpendPeriod(row.spend_limit_period) ? { amountNanoUsd: limit, period: row.spend_limit_period } : null,
    periodSpentNanoUsd: toSafeInteger(row.period_spent_nano_usd ?? 0, 'users.period_spent_nano_usd'),
    periodStartedAt: nullableInteger(row.period_started_at, 'users.period_started_at'),
  };
}

function nullableInteger(value: unknown, what: string): number | null {
  return value === null || value === undefined ? null : toSafeInteger(value, what);
}

import { sql, type Selectable } from 'kysely';
import type { Database } from '../database.js';
import type { UsersTable } from '../database-schema.js';
import { generateId } from '../generate-id.js';
import { toSafeInteger } from '../to-safe-integer.js';
import { bumpRevision } from './bump-revision.js';
import type { User } from '../user.js';

export interface UserRepository {
  /** Adds (or, negative, takes) nano-USD to a user's balance, making them billed; false when unknown or it would go below zero. */
  credit(name: string, amountNanoUsd: number): Promise<boolean>;
  /** Takes `amountNanoUsd` from a billed user's balance if it covers it, atomically; false otherwise. */
  reserve(userId: string, amountNanoUsd: number): Promise<boolean>;
  /** Gives back a reservation and takes the real cost (never below zero); the new balance. */
  settle(userId: string, reservedNanoUsd: number, costNanoUsd: number): Promise<number | undefined>;
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
    const row = await db.selectFrom('users').selectAll().where('name', '=', name).executeTakeFirst();
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
      const row = await db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
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

    async reserve(userId, amountNanoUsd) {
      // One conditional UPDATE: two requests can never both take the same money, on SQLite or PostgreSQL.
      const result = await db
        .updateTable('users')
        .set({ balance_nano_usd: sql`balance_nano_usd - ${amountNanoUsd}` })
        .where('id', '=', userId)
        .where('balance_nano_usd', '>=', amountNanoUsd)
        .executeTakeFirst();
      return Number(result.numUpdatedRows) === 1;
    },

    async settle(userId, reservedNanoUsd, costNanoUsd) {
      // Returns the reservation and takes the real cost; never below zero (a cost above the
      // reservation can only come from an input estimate that was too low, and is capped).
      const result = await db
        .updateTable('users')
        .set({
          balance_nano_usd: sql`case when balance_nano_usd + ${reservedNanoUsd} - ${costNanoUsd} < 0 then 0 else balance_nano_usd + ${reservedNanoUsd} - ${costNanoUsd} end`,
        })
        .where('id', '=', userId)
        .where('balance_nano_usd', 'is not', null)
        .returning('balance_nano_usd')
        .executeTakeFirst();
      return result ? toSafeInteger(result.balance_nano_usd, 'users.balance_nano_usd') : undefined;
    },

    async list() {
      const rows = await db.selectFrom('users').selectAll().orderBy('created_at').orderBy('id').execute();
      return rows.map(toUser);
    },
  };
}

function toUser(row: Selectable<UsersTable>): User {
  return {
    id: row.id,
    name: row.name,
    role: row.role as User['role'],
    createdAt: toSafeInteger(row.created_at, 'users.created_at'),
    balanceNanoUsd: row.balance_nano_usd === null || row.balance_nano_usd === undefined ? null : toSafeInteger(row.balance_nano_usd, 'users.balance_nano_usd'),
  };
}

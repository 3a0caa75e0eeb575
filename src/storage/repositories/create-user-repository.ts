import type { Selectable } from 'kysely';
import type { Database } from '../database.js';
import type { UsersTable } from '../database-schema.js';
import { generateId } from '../generate-id.js';
import { toSafeInteger } from '../to-safe-integer.js';
import type { User } from '../user.js';

export interface UserRepository {
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
  };
}

import { migrations } from '../../src/storage/migrations/migrations.js';
import { sql } from 'kysely';
import { describe, expect, test } from 'vitest';
import { createUserRepository } from '../../src/storage/repositories/create-user-repository.js';
import { createPostgresTarget } from './create-postgres-target.js';
import { describeStorageSuite } from './describe-storage-suite.js';

/**
 * Runs only against a real server, e.g.
 * DATABASE_URL=postgres://postgres@127.0.0.1:5432/test npx vitest run test/storage
 * Every test gets its own randomly named schema (mixroute_test_…), dropped afterwards.
 */
const url = process.env.DATABASE_URL;

describe.skipIf(!url)(url ? 'storage on PostgreSQL' : 'storage on PostgreSQL (skipped: DATABASE_URL not set)', () => {
  describeStorageSuite(() => createPostgresTarget(url!));

  describe('PostgreSQL specifics', () => {
    test('several processes starting at once on a fresh schema all migrate successfully', async () => {
      const target = await createPostgresTarget(url!);
      try {
        const handles = await Promise.all(Array.from({ length: 4 }, () => target.open()));
        const users = await Promise.all(
          handles.map((handle) => createUserRepository(handle).ensure({ name: 'same', role: 'user' })),
        );
        expect(new Set(users.map((user) => user.id)).size).toBe(1);
        const applied = await sql<{ name: string }>`select name from kysely_migration`.execute(handles[0]!.db);
        // Each migration applied once, however many processes raced.
        expect(applied.rows.map((row) => row.name)).toEqual(Object.keys(migrations));
      } finally {
        await target.destroy();
      }
    });

    test('the schema option keeps every table, including kysely bookkeeping, inside that schema', async () => {
      const target = await createPostgresTarget(url!);
      try {
        const database = await target.open();
        const { rows } = await sql<{ schema: string; tables: string[] }>`
          select current_schema() as schema,
                 array(select table_name::text from information_schema.tables
                       where table_schema = current_schema() order by 1) as tables`.execute(database.db);
        expect(rows[0]?.schema).toMatch(/^mixroute_test_/);
        expect(rows[0]?.tables).toEqual([
          'api_keys',
          'balance_leases',
          'channels',
          'kysely_migration',
          'kysely_migration_lock',
          'ledger',
          'prices',
          'revisions',
          'user_groups',
          'users',
        ]);
      } finally {
        await target.destroy();
      }
    });
  });
});

import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { createDatabase } from '../../src/storage/create-database.js';
import type { Database } from '../../src/storage/database.js';
import type { StorageTarget } from './storage-target.js';

/**
 * A fresh, randomly named schema in the database at `url`, dropped (with
 * everything in it) by `destroy`. The `mixroute_test_` prefix makes leftovers
 * from a killed run easy to find and drop.
 */
export async function createPostgresTarget(url: string): Promise<StorageTarget> {
  const schema = `mixroute_test_${randomBytes(6).toString('hex')}`;
  const opened: Database[] = [];
  return {
    async open(options = {}) {
      const database = await createDatabase({ url, schema, poolSize: 4, ...options });
      opened.push(database);
      return database;
    },
    async destroy() {
      await Promise.all(opened.map((database) => database.close()));
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      try {
        await client.query(`drop schema if exists "${schema}" cascade`);
      } finally {
        await client.end();
      }
    },
  };
}

import type { Kysely } from 'kysely';
import type { DatabaseSchema } from './database-schema.js';

/** An open, migrated database: the handle every repository is built from. */
export interface Database {
  db: Kysely<DatabaseSchema>;
  dialect: 'sqlite' | 'postgres';
  /** Closes the SQLite file or drains the PostgreSQL pool. Idempotent. */
  close(): Promise<void>;
}

import type BetterSqlite3 from 'better-sqlite3';
import type { Kysely } from 'kysely';
import type { DatabaseSchema } from './database-schema.js';

/** An open, migrated database: the handle every repository is built from. */
export interface Database {
  db: Kysely<DatabaseSchema>;
  dialect: 'sqlite' | 'postgres';
  /**
   * SQLite only: the connection kysely uses, for the few statements on every
   * request's path that are worth running without a query builder (spending,
   * ledger inserts). Synchronous, so never interleaved with kysely's queries.
   */
  sqlite?: BetterSqlite3.Database;
  /** Closes the SQLite file or drains the PostgreSQL pool. Idempotent. */
  close(): Promise<void>;
}

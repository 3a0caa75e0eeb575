import { sql, type Kysely } from 'kysely';
import type { Database } from './database.js';
import type { DatabaseSchema } from './database-schema.js';

/**
 * Runs `work` in a transaction that is going to write, committing when it
 * resolves and rolling back when it throws.
 *
 * On SQLite this issues `BEGIN IMMEDIATE` instead of kysely's plain (deferred)
 * `BEGIN`: a deferred transaction that reads first and writes later has to
 * upgrade its lock, and if another process wrote in between SQLite fails with
 * SQLITE_BUSY at once, without honouring busy_timeout. Taking the write lock
 * up front makes a second gateway process (or the CLI) wait instead. Holding
 * kysely's single SQLite connection for the duration also keeps this process's
 * other queries from slipping into the transaction.
 *
 * On PostgreSQL it is an ordinary READ COMMITTED transaction; the repositories
 * rely on constraints and upserts, not on read-then-write, for correctness.
 */
export async function writeTransaction<T>(
  database: Database,
  work: (trx: Kysely<DatabaseSchema>) => Promise<T>,
): Promise<T> {
  if (database.dialect === 'postgres') {
    return database.db.transaction().execute(work);
  }
  return database.db.connection().execute(async (connection) => {
    await sql`begin immediate`.execute(connection);
    let result: T;
    try {
      result = await work(connection);
    } catch (error) {
      // SQLite may already have rolled back on its own (e.g. SQLITE_FULL);
      // the original error is the one worth reporting.
      await sql`rollback`.execute(connection).catch(() => undefined);
      throw error;
    }
    await sql`commit`.execute(connection);
    return result;
  });
}

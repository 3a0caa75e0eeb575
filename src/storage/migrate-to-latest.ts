import { Migrator, sql, type Kysely, type MigrationProvider } from 'kysely';
import type { Database } from './database.js';
import { migrations } from './migrations/migrations.js';

const provider: MigrationProvider = {
  getMigrations: async () => migrations,
};

/**
 * Brings the schema up to date and returns the names of the migrations it
 * applied (empty when already current). Safe to call on every start and from
 * several processes at once:
 *
 * - PostgreSQL: kysely runs the migrations in one transaction under an
 *   advisory lock. Its bookkeeping tables are pinned to the current schema,
 *   because otherwise kysely's existence check looks at every schema in the
 *   database and would skip creating them when another schema has them.
 * - SQLite: kysely runs SQLite migrations without a transaction or lock, so the
 *   whole run is wrapped in `BEGIN IMMEDIATE` (via the single connection): a
 *   failed migration leaves nothing half-applied and a concurrent starter in
 *   another process waits on busy_timeout, then finds nothing left to do.
 *   When the recorded migrations already match the list exactly, no lock is
 *   taken at all.
 */
export async function migrateToLatest(database: Database): Promise<string[]> {
  if (database.dialect === 'postgres') {
    const { rows } = await sql<{ schema: string | null }>`select current_schema() as schema`.execute(database.db);
    const schema = rows[0]?.schema;
    if (!schema) {
      throw new Error('cannot migrate: no schema on the search_path exists (check search_path / the schema option)');
    }
    return run(database.db, schema);
  }
  if (await isUpToDate(database.db)) {
    // The common case (every start after the first, every CLI command) takes
    // no write lock, so it never waits on, or blocks, a running gateway.
    return [];
  }
  return database.db.connection().execute(async (connection) => {
    await sql`begin immediate`.execute(connection);
    try {
      const applied = await run(connection, undefined);
      await sql`commit`.execute(connection);
      return applied;
    } catch (error) {
      await sql`rollback`.execute(connection).catch(() => undefined);
      throw error;
    }
  });
}

/**
 * Whether exactly the known migrations are recorded. Anything else (fresh
 * database, pending migrations, or a database migrated by a newer build, which
 * kysely refuses) goes through the migrator.
 */
async function isUpToDate(db: Kysely<any>): Promise<boolean> {
  let executed: string[];
  try {
    const { rows } = await sql<{ name: string }>`select name from kysely_migration`.execute(db);
    executed = rows.map((row) => row.name);
  } catch {
    return false; // no migration table yet
  }
  const known = Object.keys(migrations);
  return executed.length === known.length && known.every((name) => executed.includes(name));
}

async function run(db: Kysely<any>, migrationTableSchema: string | undefined): Promise<string[]> {
  const migrator = new Migrator({
    db,
    provider,
    ...(migrationTableSchema === undefined ? {} : { migrationTableSchema }),
  });
  const { error, results } = await migrator.migrateToLatest();
  if (error !== undefined) {
    const failed = results?.find((result) => result.status === 'Error')?.migrationName;
    throw new Error(`database migration ${failed ? `"${failed}" ` : ''}failed: ${describe(error)}`, {
      cause: error,
    });
  }
  return (results ?? []).filter((result) => result.status === 'Success').map((result) => result.migrationName);
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

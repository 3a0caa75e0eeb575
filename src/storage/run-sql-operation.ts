import { sql, type Kysely, type QueryResult } from 'kysely';
import type { Database } from './database.js';
import type { DatabaseSchema } from './database-schema.js';

/** One statement, its parameters named `@name` in the text (one text for both dialects). */
export interface SqlStatement {
  text: string;
  parameters: Record<string, string | number>;
}

/** What a statement did: rows changed, and the rows it returned (a SELECT, or RETURNING). */
export interface SqlStatementResult {
  changes: number;
  rows: Array<Record<string, unknown>>;
}

/**
 * A transaction written once for both dialects: a generator that yields each
 * statement and receives its result. Throwing inside it rolls it back.
 */
export type SqlOperation<T> = () => SqlSteps<T>;
/** What a SqlOperation returns: its statements, then its result. */
export type SqlSteps<T> = Generator<SqlStatement, T, SqlStatementResult>;

/**
 * Runs `operation` in one write transaction. On SQLite it runs synchronously
 * (`BEGIN IMMEDIATE` on the connection every repository shares, never across
 * a turn of the event loop, so other processes on the file wait only for its
 * statements); on PostgreSQL through kysely, awaiting each statement.
 */
export async function runSqlOperation<T>(database: Database, operation: SqlOperation<T>): Promise<T> {
  const sqlite = database.sqlite;
  if (sqlite) {
    // A kysely transaction spanning awaits may be open on this one connection: never nest inside it.
    while (sqlite.inTransaction) await new Promise<void>((resolve) => setImmediate(resolve));
    return sqlite
      .transaction(() => {
        const steps = operation();
        let next = steps.next();
        while (!next.done) next = steps.next(runOnSqlite(sqlite, next.value));
        return next.value;
      })
      .immediate();
  }
  return database.db.transaction().execute(async (trx) => {
    const steps = operation();
    let next = steps.next();
    while (!next.done) {
      const result = await executeNamedSql(trx, next.value);
      next = steps.next({ changes: Number(result.numAffectedRows ?? 0n), rows: result.rows });
    }
    return next.value;
  });
}

/**
 * Runs one statement on its own, outside any explicit transaction: a single
 * statement is atomic by itself, and a read then takes no write lock.
 */
export async function runSqlStatement(database: Database, statement: SqlStatement): Promise<SqlStatementResult> {
  const sqlite = database.sqlite;
  if (sqlite) {
    // A kysely transaction spanning awaits may be open on this one connection: never run inside it.
    while (sqlite.inTransaction) await new Promise<void>((resolve) => setImmediate(resolve));
    return runOnSqlite(sqlite, statement);
  }
  const result = await executeNamedSql(database.db, statement);
  return { changes: Number(result.numAffectedRows ?? 0n), rows: result.rows };
}

function runOnSqlite(sqlite: NonNullable<Database['sqlite']>, { text, parameters }: SqlStatement): SqlStatementResult {
  const prepared = sqlite.prepare(text);
  return prepared.reader ? { changes: 0, rows: prepared.all(parameters) as Array<Record<string, unknown>> } : { changes: prepared.run(parameters).changes, rows: [] };
}

/** Runs one statement with `@name` parameters through kysely (bound as `$n` on PostgreSQL). */
export function executeNamedSql(executor: Kysely<DatabaseSchema>, statement: SqlStatement): Promise<QueryResult<Record<string, unknown>>> {
  // split() with a capture group alternates text and parameter names.
  const parts = statement.text.split(/@(\w+)/);
  const fragments = parts.map((part, index) => {
    if (index % 2 === 0) return sql.raw(part);
    if (!(part in statement.parameters)) throw new Error(`SQL: no value for @${part}`);
    return sql`${statement.parameters[part]}`;
  });
  return sql.join(fragments, sql.raw('')).execute(executor) as Promise<QueryResult<Record<string, unknown>>>;
}

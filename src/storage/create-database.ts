import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect, sql, type SqliteDatabase } from 'kysely';
import type { Database } from './database.js';
import type { DatabaseSchema } from './database-schema.js';
import { migrateToLatest } from './migrate-to-latest.js';
import { startBackgroundCheckpoints, type BackgroundCheckpoints } from './start-background-checkpoints.js';
import { parseDatabaseUrl } from './parse-database-url.js';

export interface CreateDatabaseOptions {
  /** `sqlite:<path>`, a bare file path, `sqlite::memory:`, or `postgres://…` / `postgresql://…`. */
  url: string;
  /**
   * PostgreSQL only: use (and create if missing) this schema instead of the
   * server's default search_path. Lets tests, or several gateways sharing one
   * database, keep their tables apart. Must be a plain lower-case identifier.
   */
  schema?: string;
  /** Apply pending migrations before returning (default true). */
  migrate?: boolean;
  /**
   * SQLite file only: checkpoint the write-ahead log from a worker thread
   * every this many milliseconds instead of inside commits on the caller's
   * thread (see start-background-checkpoints.ts). For long-running servers;
   * off (SQLite's automatic checkpoints) when omitted.
   */
  backgroundCheckpointMs?: number;
  /** Called when a background checkpoint fails (logging only: the next one tries again). */
  onCheckpointError?: (message: string) => void;
  /** PostgreSQL only: maximum pool size (default 10). */
  poolSize?: number;
  /**
   * PostgreSQL only: called when an idle pooled connection fails (server
   * restart, network drop). The pool has already discarded the connection and
   * the next query opens a new one, so this is for logging only. Without a
   * listener `pg` would crash the process on such errors.
   */
  onPoolError?: (error: Error) => void;
}

/** int8: `pg` returns it as a string by default because it can exceed 2^53. */
const PG_INT8_OID = 20;

/**
 * Opens the database named by `options.url` and migrates it to the latest
 * schema. The same migrations and repositories work on both dialects.
 */
export async function createDatabase(options: CreateDatabaseOptions): Promise<Database> {
  const location = parseDatabaseUrl(options.url);
  if (options.schema !== undefined && location.dialect !== 'postgres') {
    throw new Error('the schema option only applies to PostgreSQL');
  }
  const database =
    location.dialect === 'sqlite'
      ? openSqlite(location.path, options)
      : await openPostgres(location.connectionString, options);
  if (options.migrate !== false) {
    try {
      await migrateToLatest(database);
    } catch (error) {
      await database.close();
      throw error;
    }
  }
  return database;
}

function openSqlite(path: string, options: CreateDatabaseOptions): Database {
  const inMemory = path === ':memory:';
  if (!inMemory) {
    mkdirSync(dirname(resolve(path)), { recursive: true });
  }
  const sqlite = new BetterSqlite3(path);
  try {
    if (!inMemory) {
      // WAL lets readers (the CLI, a dashboard) run while the gateway writes,
      // and makes commits cheap; it is a property of the file and sticks.
      sqlite.pragma('journal_mode = WAL');
    }
    // Wait for another process's write lock instead of failing immediately.
    sqlite.pragma('busy_timeout = 5000');
    // SQLite leaves foreign keys off by default, per connection.
    sqlite.pragma('foreign_keys = ON');
    // With WAL, NORMAL is still corruption-safe; it may only lose the last
    // transactions on power loss, in exchange for not fsyncing every commit.
    sqlite.pragma('synchronous = NORMAL');
  } catch (error) {
    sqlite.close();
    throw error;
  }
  let checkpoints: BackgroundCheckpoints | undefined;
  if (!inMemory && options.backgroundCheckpointMs !== undefined) {
    // The worker thread does the heavy lifting (copying pages, and the fsyncs) while this connection
    // keeps committing. It cannot by itself let the log start over, though: that needs a checkpoint
    // that catches up completely, and writes keep landing while it runs. So this connection keeps a
    // high threshold of its own: once the log passes it, the next commit finishes the little the
    // worker left (a few pages, a short fsync) and the log restarts, bounded near that size.
    sqlite.pragma(`wal_autocheckpoint = ${WAL_RESTART_PAGES}`);
    checkpoints = startBackgroundCheckpoints({ path, intervalMs: options.backgroundCheckpointMs, onError: options.onCheckpointError });
  }
  const db = new Kysely<DatabaseSchema>({ dialect: new SqliteDialect({ database: withStatementCache(sqlite) }) });
  return {
    db,
    dialect: 'sqlite',
    sqlite,
    close: once(async () => {
      await checkpoints?.stop();
      // The last connection to close checkpoints what is left and removes the log.
      await db.destroy();
    }),
  };
}

async function openPostgres(connectionString: string, options: CreateDatabaseOptions): Promise<Database> {
  const { schema } = options;
  if (schema !== undefined && !/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) {
    // It goes into a startup option string and must mean the same quoted or
    // unquoted, so only plain lower-case identifiers are accepted.
    throw new Error(`invalid PostgreSQL schema name "${schema}" (lower-case letters, digits and _ only)`);
  }
  // Loaded only when used: a SQLite gateway never pays for pg's memory.
  const { default: pg } = await import('pg');
  const types = new pg.TypeOverrides();
  types.setTypeParser(PG_INT8_OID, parseInt8);
  const pool = new pg.Pool({
    connectionString,
    max: options.poolSize ?? 10,
    types,
    // Set per connection at startup, so it holds for every pooled client
    // without a round trip.
    ...(schema === undefined ? {} : { options: `-c search_path=${schema}` }),
  });
  const onPoolError = options.onPoolError ?? (() => undefined);
  pool.on('error', onPoolError);
  const db = new Kysely<DatabaseSchema>({ dialect: new PostgresDialect({ pool }) });
  const database: Database = { db, dialect: 'postgres', close: once(() => db.destroy()) };
  if (schema !== undefined) {
    try {
      await createSchemaIfMissing(db, schema);
    } catch (error) {
      await database.close();
      throw error;
    }
  }
  return database;
}

async function createSchemaIfMissing(db: Kysely<DatabaseSchema>, schema: string): Promise<void> {
  try {
    await sql`create schema if not exists ${sql.id(schema)}`.execute(db);
  } catch (error) {
    // Two processes creating the same schema at once can both pass the
    // "if not exists" check; the loser gets a unique violation. Either way
    // the schema now exists.
    const code = (error as { code?: unknown }).code;
    if (code !== '23505' && code !== '42P06') {
      throw error;
    }
  }
}

/**
 * int8 as a number when exact, else the original string: never silently
 * rounded. Timestamps and costs written by the repositories are always safe
 * integers, so in practice this always yields a number.
 */
function parseInt8(value: string): number | string {
  const parsed = Number(value);
  return Number.isSafeInteger(parsed) ? parsed : value;
}

/** With background checkpoints: the log size (pages of 4 KiB, so 16 MiB) at which this connection checkpoints the rest itself. */
const WAL_RESTART_PAGES = 4096;

/** How many distinct SQL texts keep a prepared statement; beyond it the cache starts over. */
const STATEMENT_CACHE_SIZE = 256;

/**
 * Kysely's SQLite driver prepares every query anew; preparing costs about as
 * much as running a small query. The gateway runs the same few statements on
 * every request, so keep them prepared, keyed by their SQL text. Safe because
 * better-sqlite3 is synchronous: a statement is never in use twice at once,
 * and SQLite re-prepares a cached statement by itself after a schema change.
 */
function withStatementCache(sqlite: BetterSqlite3.Database): SqliteDatabase {
  const statements = new Map<string, BetterSqlite3.Statement>();
  return {
    close: () => sqlite.close(),
    prepare(text: string) {
      let statement = statements.get(text);
      if (statement === undefined) {
        if (statements.size >= STATEMENT_CACHE_SIZE) statements.clear();
        statement = sqlite.prepare(text);
        statements.set(text, statement);
      }
      return statement;
    },
  };
}

/** `close()` may be called from several shutdown paths; destroy only once. */
function once(close: () => Promise<void>): () => Promise<void> {
  let closing: Promise<void> | undefined;
  return () => (closing ??= close());
}

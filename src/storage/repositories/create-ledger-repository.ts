import { sql, type Insertable, type Kysely, type RawBuilder, type SelectQueryBuilder, type Selectable } from 'kysely';
import type { Database } from '../database.js';
import type { DatabaseSchema, LedgerTable } from '../database-schema.js';
import type { LedgerEntry } from '../ledger-entry.js';
import type { Settlement } from './create-spending-repository.js';
import type { LedgerFilter } from '../ledger-filter.js';
import type { LedgerCursor, LedgerPage } from '../ledger-page.js';
import type { UsageGroupBy, UsageSummary } from '../usage-summary.js';
import { compareText } from '../compare-text.js';
import { toSafeInteger } from '../to-safe-integer.js';
import { writeTransaction } from '../write-transaction.js';
import { createSpendingRepository } from './create-spending-repository.js';
import { createEmptyUsage } from '../../metering/usage.js';

/** The append-only record of every request the gateway handled. */
export interface LedgerRepository {
  /**
   * Appends entries in one transaction (all or nothing). An entry whose id is
   * already stored is skipped, so a batch can be retried safely after a
   * failure of unknown outcome (e.g. a timeout after the commit). An entry
   * that `settles` a spending reservation settles it in the same transaction
   * when, and only when, the entry is stored: exactly once.
   */
  insertMany(entries: readonly LedgerEntry[]): Promise<void>;
  /** Newest first. */
  list(options: { limit: number; apiKeyId?: string }): Promise<LedgerEntry[]>;
  count(): Promise<number>;
  /**
   * Newest first (by time, then id), `limit` rows after `after` (the `next`
   * of the previous page). Rows written meanwhile never shift a page: the
   * cursor is a position in the sort order, not an offset.
   */
  listPage(options: { filter?: LedgerFilter; limit: number; after?: LedgerCursor }): Promise<LedgerPage>;
  /**
   * The filtered rows summed per key, user, model or UTC day. Days come in
   * order; other groups by cost, then requests, most first.
   */
  summarize(options: { groupBy: UsageGroupBy; filter?: LedgerFilter }): Promise<UsageSummary[]>;
}

/**
 * Rows per INSERT statement. Each row binds one parameter per column (25),
 * and SQLite caps a statement at 32,766 parameters (PostgreSQL at 65,535);
 * 400 rows = 10,000 parameters stays well clear while keeping round trips few.
 */
const ROWS_PER_STATEMENT = 400;

const INTEGER_FIELDS = [
  'createdAt',
  'status',
  'latencyMs',
  'inputTokens',
  'outputTokens',
  'cacheWrite5mTokens',
  'cacheWrite1hTokens',
  'cacheReadTokens',
  'webSearchRequests',
  'webFetchRequests',
  'costNanoUsd',
] as const satisfies ReadonlyArray<keyof LedgerEntry>;

const DAY_MS = 86_400_000;

/**
 * The column or expression each grouping sums by. The day bucket is integer
 * arithmetic on the epoch milliseconds (both dialects store BIGINT), so it is
 * the same UTC day on SQLite and PostgreSQL without any date function; the
 * constant is written into the SQL text, not bound, because PostgreSQL only
 * matches a GROUP BY expression to the selected one when they are identical.
 */
const GROUP_EXPRESSIONS: Readonly<Record<UsageGroupBy, RawBuilder<string | number | null>>> = {
  key: sql`api_key_id`,
  user: sql`user_id`,
  model: sql`coalesce(upstream_model, client_model)`,
  day: sql`(created_at - created_at % ${sql.lit(DAY_MS)})`,
};

/** Summed columns: ledger column → UsageSummary field. */
const SUMMED = {
  input_tokens: 'inputTokens',
  output_tokens: 'outputTokens',
  cache_write_5m_tokens: 'cacheWrite5mTokens',
  cache_write_1h_tokens: 'cacheWrite1hTokens',
  cache_read_tokens: 'cacheReadTokens',
  web_search_requests: 'webSearchRequests',
  web_fetch_requests: 'webFetchRequests',
  cost_nano_usd: 'costNanoUsd',
} as const satisfies Partial<Record<keyof LedgerTable, keyof UsageSummary>>;

export function createLedgerRepository(database: Database): LedgerRepository {
  const { db } = database;
  const spending = createSpendingRepository(database);
  const insertSqlite = database.sqlite ? createSqliteInsert(database.sqlite) : undefined;
  const insertSqliteBatch =
    database.sqlite && insertSqlite
      ? database.sqlite.transaction((rows: ReadonlyArray<Insertable<LedgerTable>>, entries: readonly LedgerEntry[]) => {
          const inserted = insertSqlite(rows);
          // A row stored now settles its reservation now; a row already stored (a replay) settled it then.
          spending.settleAllWithinSync!(settlementsOf(entries, inserted));
        })
      : undefined;

  return {
    async insertMany(entries) {
      if (entries.length === 0) {
        return;
      }
      // Validate everything before writing anything: a bad entry should fail
      // the call with a clear message, not half-way through with a driver error.
      const rows = entries.map(toRow);
      if (insertSqliteBatch) {
        // Never nest inside another transaction open on this one connection (its rollback would undo this).
        while (database.sqlite!.inTransaction) await new Promise((resolve) => setImmediate(resolve));
        // SQLite: one synchronous transaction, nothing awaited, so nothing else can run inside it.
        insertSqliteBatch.immediate(rows, entries);
        return;
      }
      await writeTransaction(database, async (trx) => {
        const inserted = await insertWithKysely(trx, rows);
        // A row stored now settles its reservation now; a row already stored (a replay) settled it then.
        await spending.settleAllWithin(trx, settlementsOf(entries, inserted));
      });
    },

    async list({ limit, apiKeyId }) {
      if (!Number.isSafeInteger(limit) || limit < 1) {
        throw new RangeError(`ledger list limit must be a positive integer, got ${String(limit)}`);
      }
      let query = db.selectFrom('ledger').selectAll();
      if (apiKeyId !== undefined) {
        query = query.where('api_key_id', '=', apiKeyId);
      }
      const rows = await query.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(limit).execute();
      return rows.map(toEntry);
    },

    async listPage({ filter = {}, limit, after }) {
      if (!Number.isSafeInteger(limit) || limit < 1) {
        throw new RangeError(`ledger page limit must be a positive integer, got ${String(limit)}`);
      }
      let query = applyFilter(db.selectFrom('ledger').selectAll(), filter);
      if (after !== undefined) {
        if (!Number.isSafeInteger(after.createdAt)) throw new RangeError('ledger cursor: createdAt must be a safe integer');
        query = query.where((eb) =>
          eb.or([eb('created_at', '<', after.createdAt), eb.and([eb('created_at', '=', after.createdAt), eb('id', '<', after.id)])]),
        );
      }
      // One row more than asked tells whether another page exists.
      const rows = await query.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(limit + 1).execute();
      const entries = rows.slice(0, limit).map(toEntry);
      const last = entries[entries.length - 1];
      return { entries, next: rows.length > limit && last ? { createdAt: last.createdAt, id: last.id } : undefined };
    },

    async summarize({ groupBy, filter = {} }) {
      const group = GROUP_EXPRESSIONS[groupBy];
      if (group === undefined) throw new RangeError(`cannot group usage by ${JSON.stringify(groupBy)}`);
      const rows = await applyFilter(db.selectFrom('ledger'), filter)
        .select((eb) => [
          group.as('group_key'),
          eb.fn.countAll().as('requests'),
          ...Object.keys(SUMMED).map((column) => eb.fn.sum(column as keyof typeof SUMMED).as(column)),
        ])
        .groupBy(group)
        .execute();
      const summaries = rows.map((row) => {
        const values = row as unknown as Record<string, unknown>;
        const summary: UsageSummary = {
          group: toGroup(groupBy, values.group_key),
          requests: toSafeInteger(values.requests, 'usage requests'),
          ...createEmptyUsage(),
          costNanoUsd: 0,
        };
        for (const [column, field] of Object.entries(SUMMED)) {
          summary[field] = toSafeInteger(values[column] ?? 0, `usage ${column}`);
        }
        return summary;
      });
      // Sorted here, not in SQL, so both dialects agree on ties (collations differ).
      return summaries.sort(
        groupBy === 'day'
          ? (a, b) => compareText(a.group, b.group)
          : (a, b) => b.costNanoUsd - a.costNanoUsd || b.requests - a.requests || compareText(a.group, b.group),
      );
    },

    async count() {
      const row = await db
        .selectFrom('ledger')
        .select((eb) => eb.fn.countAll().as('count'))
        .executeTakeFirstOrThrow();
      return toSafeInteger(row.count, 'ledger count');
    },
  };
}

function applyFilter<O>(
  query: SelectQueryBuilder<DatabaseSchema, 'ledger', O>,
  filter: LedgerFilter,
): SelectQueryBuilder<DatabaseSchema, 'ledger', O> {
  let result = query;
  for (const bound of ['from', 'to'] as const) {
    const value = filter[bound];
    if (value !== undefined && !Number.isSafeInteger(value)) {
      throw new RangeError(`ledger filter: ${bound} must be epoch milliseconds, got ${String(value)}`);
    }
  }
  if (filter.from !== undefined) result = result.where('created_at', '>=', filter.from);
  if (filter.to !== undefined) result = result.where('created_at', '<', filter.to);
  if (filter.apiKeyId !== undefined) result = result.where('api_key_id', '=', filter.apiKeyId);
  if (filter.userId !== undefined) result = result.where('user_id', '=', filter.userId);
  if (filter.status !== undefined) result = result.where('status', '=', filter.status);
  if (filter.outcome !== undefined) result = result.where('outcome', '=', filter.outcome);
  const model = filter.model;
  if (model !== undefined) {
    result = result.where((eb) => eb.or([eb('client_model', '=', model), eb('upstream_model', '=', model)]));
  }
  return result;
}

function toGroup(groupBy: UsageGroupBy, value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (groupBy === 'day') return new Date(toSafeInteger(value, 'usage day')).toISOString().slice(0, 10);
  return String(value);
}

/** Binary order with nulls last, the same on every platform. */

/**
 * The reservations to settle and at what cost: those of rows stored by this
 * call (a row stored before settled then), the first of any repeated id only.
 * Rows reserved from the same balance lease settle together, at the sum of
 * their costs: one statement per lease and batch instead of one per row (the
 * lease's row takes each cost in full, and a balance floored at zero ends the
 * same whether the costs come one by one or summed). The spending repository
 * orders the statements (see `settleAllWithin`).
 */
function settlementsOf(entries: readonly LedgerEntry[], inserted: Set<string>): Settlement[] {
  const settling: Settlement[] = [];
  const byLease = new Map<string, Settlement>();
  const seen = new Set<string>();
  for (const entry of entries) {
    if (!entry.settles || !inserted.has(entry.id) || seen.has(entry.id)) continue;
    seen.add(entry.id);
    const leaseId = entry.settles.leaseId;
    const together = leaseId === undefined ? undefined : byLease.get(leaseId);
    if (together !== undefined && Number.isSafeInteger(together.costNanoUsd + entry.costNanoUsd)) {
      together.costNanoUsd += entry.costNanoUsd;
      continue;
    }
    const settlement = { reservation: entry.settles, costNanoUsd: entry.costNanoUsd };
    if (leaseId !== undefined) byLease.set(leaseId, settlement);
    settling.push(settlement);
  }
  return settling;
}

/** Every ledger column, in the order the SQLite insert binds them. */
const LEDGER_COLUMNS = [
  'id',
  'created_at',
  'api_key_id',
  'user_id',
  'channel_id',
  'channel_name',
  'client_model',
  'upstream_model',
  'dialect',
  'endpoint',
  'stream',
  'status',
  'outcome',
  'error_type',
  'latency_ms',
  'ttfb_ms',
  'input_tokens',
  'output_tokens',
  'cache_write_5m_tokens',
  'cache_write_1h_tokens',
  'cache_read_tokens',
  'web_search_requests',
  'web_fetch_requests',
  'cost_nano_usd',
  'session_id',
] as const satisfies ReadonlyArray<keyof LedgerTable>;
// A column added to LedgerTable but not to the list above fails to compile here.
const everyColumnBound: Exclude<keyof LedgerTable, (typeof LEDGER_COLUMNS)[number]> extends never ? true : never = true;
void everyColumnBound;

/**
 * SQLite: one prepared single-row INSERT, run synchronously per row inside the caller's transaction
 * (no query to build or compile per batch: the gateway writes a row per request), its values bound
 * by position and passed as arguments (better-sqlite3 binds named parameters by looking each name up
 * in the object: 9 → 6.6 µs a row with the table's indexes, in a micro-benchmark). The ids it stored.
 */
function createSqliteInsert(sqlite: NonNullable<Database['sqlite']>): (rows: ReadonlyArray<Insertable<LedgerTable>>) => Set<string> {
  let statement: ReturnType<typeof sqlite.prepare<unknown[]>> | undefined;
  return (rows) => {
    statement ??= sqlite.prepare<unknown[]>(`insert into ledger (${LEDGER_COLUMNS.join(', ')}) values (${LEDGER_COLUMNS.map(() => '?').join(', ')}) on conflict (id) do nothing`);
    const inserted = new Set<string>();
    for (const row of rows) {
      const changes = statement.run(
        row.id,
        row.created_at,
        row.api_key_id,
        row.user_id,
        row.channel_id,
        row.channel_name,
        row.client_model,
        row.upstream_model,
        row.dialect,
        row.endpoint,
        row.stream,
        row.status,
        row.outcome,
        row.error_type,
        row.latency_ms,
        row.ttfb_ms,
        row.input_tokens,
        row.output_tokens,
        row.cache_write_5m_tokens,
        row.cache_write_1h_tokens,
        row.cache_read_tokens,
        row.web_search_requests,
        row.web_fetch_requests,
        row.cost_nano_usd,
        row.session_id,
      ).changes;
      if (changes === 1) inserted.add(row.id);
    }
    return inserted;
  };
}

/** Other dialects: multi-row INSERTs through kysely, returning the ids stored. */
async function insertWithKysely(trx: Kysely<DatabaseSchema>, rows: ReadonlyArray<Insertable<LedgerTable>>): Promise<Set<string>> {
  const inserted = new Set<string>();
  for (let start = 0; start < rows.length; start += ROWS_PER_STATEMENT) {
    const stored = await trx
      .insertInto('ledger')
      .values(rows.slice(start, start + ROWS_PER_STATEMENT))
      .onConflict((conflict) => conflict.column('id').doNothing())
      .returning('id')
      .execute();
    for (const { id } of stored) inserted.add(id);
  }
  return inserted;
}

function toRow(entry: LedgerEntry): Insertable<LedgerTable> {
  for (const field of INTEGER_FIELDS) {
    const value = entry[field];
    // Both drivers would accept 1.5 or 2^53 + 1 and store something else than
    // what was meant (a REAL on SQLite, a rounded or rejected value on
    // PostgreSQL); refuse instead.
    if (!Number.isSafeInteger(value)) {
      throw new RangeError(`ledger entry ${entry.id}: ${field} must be a safe integer, got ${String(value)}`);
    }
  }
  if (entry.ttfbMs !== null && !Number.isSafeInteger(entry.ttfbMs)) {
    throw new RangeError(
      `ledger entry ${entry.id}: ttfbMs must be a safe integer or null, got ${String(entry.ttfbMs)}`,
    );
  }
  return {
    id: entry.id,
    created_at: entry.createdAt,
    api_key_id: entry.apiKeyId,
    user_id: entry.userId,
    channel_id: entry.channelId,
    channel_name: entry.channelName,
    client_model: entry.clientModel,
    upstream_model: entry.upstreamModel,
    dialect: entry.dialect,
    endpoint: entry.endpoint,
    stream: entry.stream ? 1 : 0,
    status: entry.status,
    outcome: entry.outcome,
    error_type: entry.errorType,
    latency_ms: entry.latencyMs,
    ttfb_ms: entry.ttfbMs,
    input_tokens: entry.inputTokens,
    output_tokens: entry.outputTokens,
    cache_write_5m_tokens: entry.cacheWrite5mTokens,
    cache_write_1h_tokens: entry.cacheWrite1hTokens,
    cache_read_tokens: entry.cacheReadTokens,
    web_search_requests: entry.webSearchRequests,
    web_fetch_requests: entry.webFetchRequests,
    cost_nano_usd: entry.costNanoUsd,
    session_id: entry.sessionId,
  };
}

function toEntry(row: Selectable<LedgerTable>): LedgerEntry {
  return {
    id: row.id,
    createdAt: toSafeInteger(row.created_at, 'ledger.created_at'),
    apiKeyId: row.api_key_id,
    userId: row.user_id,
    channelId: row.channel_id,
    channelName: row.channel_name,
    clientModel: row.client_model,
    upstreamModel: row.upstream_model,
    dialect: row.dialect as LedgerEntry['dialect'],
    endpoint: row.endpoint,
    stream: toSafeInteger(row.stream, 'ledger.stream') === 1,
    status: toSafeInteger(row.status, 'ledger.status'),
    outcome: row.outcome as LedgerEntry['outcome'],
    errorType: row.error_type,
    latencyMs: toSafeInteger(row.latency_ms, 'ledger.latency_ms'),
    ttfbMs: row.ttfb_ms === null ? null : toSafeInteger(row.ttfb_ms, 'ledger.ttfb_ms'),
    inputTokens: toSafeInteger(row.input_tokens, 'ledger.input_tokens'),
    outputTokens: toSafeInteger(row.output_tokens, 'ledger.output_tokens'),
    cacheWrite5mTokens: toSafeInteger(row.cache_write_5m_tokens, 'ledger.cache_write_5m_tokens'),
    cacheWrite1hTokens: toSafeInteger(row.cache_write_1h_tokens, 'ledger.cache_write_1h_tokens'),
    cacheReadTokens: toSafeInteger(row.cache_read_tokens, 'ledger.cache_read_tokens'),
    webSearchRequests: toSafeInteger(row.web_search_requests, 'ledger.web_search_requests'),
    webFetchRequests: toSafeInteger(row.web_fetch_requests, 'ledger.web_fetch_requests'),
    costNanoUsd: toSafeInteger(row.cost_nano_usd, 'ledger.cost_nano_usd'),
    sessionId: row.session_id,
  };
}

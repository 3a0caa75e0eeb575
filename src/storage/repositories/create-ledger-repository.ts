import type { Insertable, Selectable } from 'kysely';
import type { Database } from '../database.js';
import type { LedgerTable } from '../database-schema.js';
import type { LedgerEntry } from '../ledger-entry.js';
import { toSafeInteger } from '../to-safe-integer.js';
import { writeTransaction } from '../write-transaction.js';

/** The append-only record of every request the gateway handled. */
export interface LedgerRepository {
  /**
   * Appends entries in one transaction (all or nothing). An entry whose id is
   * already stored is skipped, so a batch can be retried safely after a
   * failure of unknown outcome (e.g. a timeout after the commit).
   */
  insertMany(entries: readonly LedgerEntry[]): Promise<void>;
  /** Newest first. */
  list(options: { limit: number; apiKeyId?: string }): Promise<LedgerEntry[]>;
  count(): Promise<number>;
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

export function createLedgerRepository(database: Database): LedgerRepository {
  const { db } = database;

  return {
    async insertMany(entries) {
      if (entries.length === 0) {
        return;
      }
      // Validate everything before writing anything: a bad entry should fail
      // the call with a clear message, not half-way through with a driver error.
      const rows = entries.map(toRow);
      await writeTransaction(database, async (trx) => {
        for (let start = 0; start < rows.length; start += ROWS_PER_STATEMENT) {
          await trx
            .insertInto('ledger')
            .values(rows.slice(start, start + ROWS_PER_STATEMENT))
            .onConflict((conflict) => conflict.column('id').doNothing())
            .execute();
        }
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

    async count() {
      const row = await db
        .selectFrom('ledger')
        .select((eb) => eb.fn.countAll().as('count'))
        .executeTakeFirstOrThrow();
      return toSafeInteger(row.count, 'ledger count');
    },
  };
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

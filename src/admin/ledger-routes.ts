import { z } from 'zod';
import type { LedgerEntry } from '../storage/ledger-entry.js';
import type { LedgerCursor } from '../storage/ledger-page.js';
import { adminErrors } from './admin-errors.js';
import type { AdminRoute } from './admin-route.js';
import { formatInstant } from './format-instant.js';
import { formatNanoUsd } from '../metering/money/usd-amount.js';
import { parseAdminInput } from './parse-admin-input.js';
import { LEDGER_FILTER_QUERY, parseLedgerFilter } from './parse-ledger-filter.js';

const querySchema = z
  .object({
    ...LEDGER_FILTER_QUERY,
    limit: z.string().regex(/^\d+$/, 'a whole number from 1 to 1000').optional(),
    cursor: z.string().min(1).optional(),
  })
  .strict();

/** The request ledger, newest first, one page at a time (`next_cursor` fetches the next). */
export const LEDGER_ROUTES: readonly AdminRoute[] = [
  {
    method: 'GET',
    path: '/ledger',
    authenticated: true,
    async handle(request, context) {
      const query = parseAdminInput({ schema: querySchema, value: Object.fromEntries(request.query), where: 'query' });
      const limit = query.limit === undefined ? 100 : Number(query.limit);
      if (!(limit >= 1 && limit <= 1000)) throw adminErrors.invalid('limit', 'a whole number from 1 to 1000');
      const filter = await parseLedgerFilter(context, query);
      const page = await context.storage.ledger.listPage({
        filter,
        limit,
        ...(query.cursor === undefined ? {} : { after: decodeCursor(query.cursor) }),
      });
      return {
        status: 200,
        body: { data: page.entries.map(presentEntry), has_more: page.next !== undefined, next_cursor: page.next ? encodeCursor(page.next) : null },
      };
    },
  },
];

/** Opaque to clients: the position after the page's last row, as base64url JSON. */
function encodeCursor(cursor: LedgerCursor): string {
  return Buffer.from(JSON.stringify([cursor.createdAt, cursor.id])).toString('base64url');
}

function decodeCursor(text: string): LedgerCursor {
  try {
    const value: unknown = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
    if (Array.isArray(value) && value.length === 2 && Number.isSafeInteger(value[0]) && typeof value[1] === 'string') {
      return { createdAt: value[0] as number, id: value[1] };
    }
  } catch {
    // Reported below.
  }
  throw adminErrors.invalid('cursor', 'not a cursor this API returned (use next_cursor as it came)');
}

function presentEntry(entry: LedgerEntry) {
  return {
    id: entry.id,
    created_at: formatInstant(entry.createdAt),
    key_id: entry.apiKeyId,
    user_id: entry.userId,
    channel_id: entry.channelId,
    channel_name: entry.channelName,
    client_model: entry.clientModel,
    upstream_model: entry.upstreamModel,
    dialect: entry.dialect,
    endpoint: entry.endpoint,
    stream: entry.stream,
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
    cost_usd: formatNanoUsd(entry.costNanoUsd),
    session_id: entry.sessionId,
  };
}

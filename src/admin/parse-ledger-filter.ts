import { z } from 'zod';
import type { LedgerFilter } from '../storage/ledger-filter.js';
import type { AdminContext } from './admin-context.js';
import { adminErrors } from './admin-errors.js';
import { findUserByIdOrName } from './find-user-by-id-or-name.js';
import { parseInstant } from './parse-instant.js';

/** The query parameters that narrow the ledger and usage summaries (all optional strings). */
export const LEDGER_FILTER_QUERY = {
  from: z.string().optional(),
  to: z.string().optional(),
  key: z.string().min(1).optional(),
  user: z.string().min(1).optional(),
  model: z.string().min(1).optional(),
  status: z.string().regex(/^[1-5]\d\d$/, 'an HTTP status such as 200 or 429').optional(),
  outcome: z.enum(['ok', 'upstream_error', 'client_aborted', 'gateway_error', 'stream_error', 'interrupted']).optional(),
};

type FilterQuery = { [Field in keyof typeof LEDGER_FILTER_QUERY]?: z.infer<(typeof LEDGER_FILTER_QUERY)[Field]> };

/**
 * Query parameters → a ledger filter. `from` (inclusive) and `to`
 * (exclusive) are RFC 3339 times or UTC dates; `key` and `user` are ids or
 * names, resolved here to the ids the ledger stores.
 */
export async function parseLedgerFilter(context: AdminContext, query: FilterQuery): Promise<LedgerFilter> {
  const filter: LedgerFilter = {};
  if (query.from !== undefined) filter.from = parseInstant({ text: query.from, field: 'from' });
  if (query.to !== undefined) filter.to = parseInstant({ text: query.to, field: 'to' });
  if (filter.from !== undefined && filter.to !== undefined && filter.to <= filter.from) throw adminErrors.invalid('to', 'must be after from');
  if (query.key !== undefined) {
    const key = (await context.storage.apiKeys.findById(query.key)) ?? (await context.storage.apiKeys.findByName(query.key));
    if (!key) throw adminErrors.invalid('key', `no API key with id or name ${JSON.stringify(query.key)}`);
    filter.apiKeyId = key.id;
  }
  if (query.user !== undefined) {
    const user = await findUserByIdOrName(context, query.user);
    if (!user) throw adminErrors.invalid('user', `no user with id or name ${JSON.stringify(query.user)}`);
    filter.userId = user.id;
  }
  if (query.model !== undefined) filter.model = query.model;
  if (query.status !== undefined) filter.status = Number(query.status);
  if (query.outcome !== undefined) filter.outcome = query.outcome;
  return filter;
}

import { createEmptyUsage } from '../metering/usage.js';
import { z } from 'zod';
import type { UsageSummary } from '../storage/usage-summary.js';
import type { AdminRoute } from './admin-route.js';
import { formatInstant } from './format-instant.js';
import { formatNanoUsd } from '../metering/money/usd-amount.js';
import { parseAdminInput } from './parse-admin-input.js';
import { LEDGER_FILTER_QUERY, parseLedgerFilter } from './parse-ledger-filter.js';

const querySchema = z
  .object({
    group_by: z.enum(['key', 'user', 'model', 'day']),
    ...LEDGER_FILTER_QUERY,
  })
  .strict();

/**
 * Usage summed from the ledger per key, user, model (the upstream model that
 * answered, else the one asked for) or UTC day, with a total. Refused requests
 * count as requests and cost nothing.
 */
export const USAGE_ROUTES: readonly AdminRoute[] = [
  {
    method: 'GET',
    path: '/usage',
    authenticated: true,
    async handle(request, context) {
      const query = parseAdminInput({ schema: querySchema, value: Object.fromEntries(request.query), where: 'query' });
      const filter = await parseLedgerFilter(context, query);
      const summaries = await context.storage.ledger.summarize({ groupBy: query.group_by, filter });
      const names =
        query.group_by === 'key'
          ? new Map((await context.storage.apiKeys.list()).map((key) => [key.id, key.name]))
          : query.group_by === 'user'
            ? new Map((await context.storage.users.list()).map((user) => [user.id, user.name]))
            : undefined;
      const groupFields = (group: string | null) => {
        switch (query.group_by) {
          case 'key':
            return { key_id: group, key_name: group === null ? null : (names?.get(group) ?? null) };
          case 'user':
            return { user_id: group, user_name: group === null ? null : (names?.get(group) ?? null) };
          case 'model':
            return { model: group };
          case 'day':
            return { day: group };
        }
      };
      return {
        status: 200,
        body: {
          group_by: query.group_by,
          from: filter.from === undefined ? null : formatInstant(filter.from),
          to: filter.to === undefined ? null : formatInstant(filter.to),
          data: summaries.map((summary) => ({ ...groupFields(summary.group), ...presentTotals(summary) })),
          total: presentTotals(sum(summaries)),
        },
      };
    },
  },
];

function sum(summaries: readonly UsageSummary[]): UsageSummary {
  const total: UsageSummary = { group: null, requests: 0, ...createEmptyUsage(), costNanoUsd: 0 };
  for (const summary of summaries) {
    for (const field of Object.keys(total) as Array<keyof UsageSummary>) {
      if (field !== 'group') total[field] += summary[field];
    }
  }
  return total;
}

function presentTotals(summary: UsageSummary) {
  return {
    requests: summary.requests,
    input_tokens: summary.inputTokens,
    output_tokens: summary.outputTokens,
    cache_write_5m_tokens: summary.cacheWrite5mTokens,
    cache_write_1h_tokens: summary.cacheWrite1hTokens,
    cache_read_tokens: summary.cacheReadTokens,
    web_search_requests: summary.webSearchRequests,
    web_fetch_requests: summary.webFetchRequests,
    cost_nano_usd: summary.costNanoUsd,
    cost_usd: formatNanoUsd(summary.costNanoUsd),
  };
}

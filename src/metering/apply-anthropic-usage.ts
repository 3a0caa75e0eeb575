import type { AnthropicUsage } from '../protocol/anthropic/anthropic-usage.js';
import { createEmptyUsage, type Usage } from './usage.js';

/**
 * Folds one usage report from Anthropic into the usage known so far.
 *
 * Anthropic's counts are cumulative: `message_delta` repeats and revises what
 * `message_start` said (a cache write of 3,068 tokens can become 3,337), so a
 * reported number replaces the known one, never adds to it. A field that is
 * missing, null or not a sane count keeps the known value, because a report
 * that omits a field (older models send only `output_tokens` in the delta)
 * says nothing about it.
 *
 * Cache writes: the `cache_creation` split by TTL wins where it gives a
 * number. `cache_creation_input_tokens` (the total) fills in whatever the
 * split leaves open: with one side of the split given, the other side is the
 * rest of the total; with no split at all — what `message_delta` sends —, the
 * 1h count known so far is kept (capped at the total) and the rest of the
 * total goes to 5m. So a delta that only revises the total neither drops an
 * earlier 1h attribution (billed higher) nor invents one, and without any
 * split ever reported everything is 5m, the API's default TTL.
 *
 * Compaction (beta) reports one usage per sampling in `iterations`; the
 * counts are then the sums over them (see below).
 *
 * Returns a new object; `usage` is not modified.
 * @see ../../../shared/protocol/anthropic-protocol.md §2.4
 */
export function applyAnthropicUsage(options: { usage: Usage; reported: AnthropicUsage }): Usage {
  const { usage, reported } = options;
  const next: Usage = { ...usage };

  const input = countOf(reported.input_tokens);
  if (input !== undefined) next.inputTokens = input;
  const output = countOf(reported.output_tokens);
  if (output !== undefined) next.outputTokens = output;
  const cacheRead = countOf(reported.cache_read_input_tokens);
  if (cacheRead !== undefined) next.cacheReadTokens = cacheRead;

  const split = isRecord(reported.cache_creation) ? reported.cache_creation : undefined;
  const split5m = countOf(split?.ephemeral_5m_input_tokens);
  const split1h = countOf(split?.ephemeral_1h_input_tokens);
  const total = countOf(reported.cache_creation_input_tokens);
  if (split5m !== undefined && split1h !== undefined) {
    next.cacheWrite5mTokens = split5m;
    next.cacheWrite1hTokens = split1h;
  } else if (split5m !== undefined) {
    next.cacheWrite5mTokens = split5m;
    if (total !== undefined) next.cacheWrite1hTokens = Math.max(0, total - split5m);
  } else if (split1h !== undefined) {
    next.cacheWrite1hTokens = split1h;
    if (total !== undefined) next.cacheWrite5mTokens = Math.max(0, total - split1h);
  } else if (total !== undefined) {
    next.cacheWrite1hTokens = Math.min(usage.cacheWrite1hTokens, total);
    next.cacheWrite5mTokens = total - next.cacheWrite1hTokens;
  }

  // Compaction (beta): one request samples more than once (a summary of the conversation, then the
  // answer), every sampling is billed, and the top-level counts are the last one's only. The counts
  // charged are the sums over `iterations`, never less than the top-level ones.
  const iterations = Array.isArray(reported.iterations) ? reported.iterations.filter(isRecord) : [];
  if (iterations.length > 0) {
    const sum = createEmptyUsage();
    for (const iteration of iterations) {
      const one = applyAnthropicUsage({ usage: createEmptyUsage(), reported: { ...iteration, iterations: undefined } as AnthropicUsage });
      sum.inputTokens += one.inputTokens;
      sum.outputTokens += one.outputTokens;
      sum.cacheReadTokens += one.cacheReadTokens;
      sum.cacheWrite5mTokens += one.cacheWrite5mTokens;
      sum.cacheWrite1hTokens += one.cacheWrite1hTokens;
    }
    next.inputTokens = atLeast(sum.inputTokens, next.inputTokens);
    next.outputTokens = atLeast(sum.outputTokens, next.outputTokens);
    next.cacheReadTokens = atLeast(sum.cacheReadTokens, next.cacheReadTokens);
    if (sum.cacheWrite5mTokens + sum.cacheWrite1hTokens >= next.cacheWrite5mTokens + next.cacheWrite1hTokens) {
      next.cacheWrite5mTokens = Math.min(sum.cacheWrite5mTokens, MAX_COUNT);
      next.cacheWrite1hTokens = Math.min(sum.cacheWrite1hTokens, MAX_COUNT);
    }
  }

  const serverTools = isRecord(reported.server_tool_use) ? reported.server_tool_use : undefined;
  const webSearches = countOf(serverTools?.web_search_requests);
  if (webSearches !== undefined) next.webSearchRequests = webSearches;
  const webFetches = countOf(serverTools?.web_fetch_requests);
  if (webFetches !== undefined) next.webFetchRequests = webFetches;

  return next;
}

/** A token or request count; anything else (null, a string, -1, 1.5) counts as not reported. */
/** The ledger's token columns are 32-bit integers; a count past that is not a real report. */
const MAX_COUNT = 2_147_483_647;

/** A sum of counts, capped like a count, and never below what the top-level field said. */
function atLeast(sum: number, topLevel: number): number {
  return Math.max(Math.min(sum, MAX_COUNT), topLevel);
}

function countOf(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0 && value <= MAX_COUNT ? value : undefined;
}

// Checked at runtime because the type describes what should arrive, not what does.
function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

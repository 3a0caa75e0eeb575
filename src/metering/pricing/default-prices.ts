import type { ModelPrice } from './model-price.js';

// Server tools on Anthropic's API: web search $10 per 1,000 searches; web
// fetch has no charge of its own, only the tokens of what it fetched.
// @see https://docs.anthropic.com/en/docs/agents-and-tools/tool-use/web-search-tool#usage-and-pricing
// @see https://docs.anthropic.com/en/docs/agents-and-tools/tool-use/web-fetch-tool#usage-and-pricing
const SERVER_TOOLS = { webSearchPer1k: '10', webFetchPer1k: '0' } as const;

// Sonnet 4 and 4.5 with the 1M-token context window: a request whose input
// (cache reads and writes included) exceeds 200K tokens is billed entirely at
// $6 input / $22.50 output per MTok; the cache prices scale from the $6 input
// by the usual multipliers ($7.50 5m write, $12 1h write, $0.60 read). Only
// the 1M-context beta lets a request get that large, so billing by input size
// alone matches Anthropic's bill.
// @see https://docs.anthropic.com/en/docs/about-claude/pricing#long-context-pricing
const SONNET_4_LONG_CONTEXT = { thresholdInputTokens: 200_000, inputPerMTok: '6', outputPerMTok: '22.50' } as const;

/**
 * Anthropic's published API prices, USD per million tokens, for the Claude
 * models whose prices are known with confidence. Cache prices not written
 * below follow Anthropic's multipliers of the input price (5-minute write
 * 1.25×, 1-hour write 2×, read 0.1×), which is what the pricing page lists for
 * every model here except Claude Haiku 3.
 * @see https://docs.anthropic.com/en/docs/about-claude/pricing
 *
 * Not priced here, on purpose: names Claude Code sends for newer models
 * (claude-opus-4-6, claude-sonnet-4-6, claude-opus-4-8, claude-sonnet-5, …).
 * Guessing a price would bill users wrongly; without an entry such a model is
 * refused for billing users unless the operator allows it or adds its price.
 * The patterns are therefore narrow (`claude-opus-4-2025*`, not
 * `claude-opus-4*`) so that an unknown model never inherits an older price.
 *
 * The operator edits prices by putting entries of their own before these (see
 * `resolveModelPrice` for the order rules).
 */
export const DEFAULT_PRICES: readonly ModelPrice[] = [
  // Claude Opus 4.5 (claude-opus-4-5-20251101): $5 / $25; cache $6.25 / $10 / $0.50.
  { pattern: 'claude-opus-4-5*', inputPerMTok: '5', outputPerMTok: '25', ...SERVER_TOOLS },
  // Claude Sonnet 4.5 (claude-sonnet-4-5-20250929): $3 / $15; cache $3.75 / $6 / $0.30.
  { pattern: 'claude-sonnet-4-5*', inputPerMTok: '3', outputPerMTok: '15', longContext: SONNET_4_LONG_CONTEXT, ...SERVER_TOOLS },
  // Claude Haiku 4.5 (claude-haiku-4-5-20251001): $1 / $5; cache $1.25 / $2 / $0.10.
  { pattern: 'claude-haiku-4-5*', inputPerMTok: '1', outputPerMTok: '5', ...SERVER_TOOLS },
  // Claude Opus 4.1 (claude-opus-4-1-20250805) and Opus 4 (claude-opus-4-20250514,
  // alias claude-opus-4-0): $15 / $75; cache $18.75 / $30 / $1.50.
  { pattern: 'claude-opus-4-1*', inputPerMTok: '15', outputPerMTok: '75', ...SERVER_TOOLS },
  { pattern: 'claude-opus-4-2025*', inputPerMTok: '15', outputPerMTok: '75', ...SERVER_TOOLS },
  { pattern: 'claude-opus-4-0', inputPerMTok: '15', outputPerMTok: '75', ...SERVER_TOOLS },
  // Claude Sonnet 4 (claude-sonnet-4-20250514, alias claude-sonnet-4-0): $3 / $15,
  // with the same long-context tier as Sonnet 4.5.
  { pattern: 'claude-sonnet-4-2025*', inputPerMTok: '3', outputPerMTok: '15', longContext: SONNET_4_LONG_CONTEXT, ...SERVER_TOOLS },
  { pattern: 'claude-sonnet-4-0', inputPerMTok: '3', outputPerMTok: '15', longContext: SONNET_4_LONG_CONTEXT, ...SERVER_TOOLS },
  // Claude Sonnet 3.7 (claude-3-7-sonnet-20250219): $3 / $15.
  { pattern: 'claude-3-7-sonnet*', inputPerMTok: '3', outputPerMTok: '15', ...SERVER_TOOLS },
  // Claude Haiku 3.5 (claude-3-5-haiku-20241022): $0.80 / $4; cache $1 / $1.60 / $0.08.
  { pattern: 'claude-3-5-haiku*', inputPerMTok: '0.80', outputPerMTok: '4', ...SERVER_TOOLS },
  // Claude Haiku 3 (claude-3-haiku-20240307): $0.25 / $1.25. Its published cache
  // prices are not the multipliers of $0.25 (1.25× would be $0.3125), so they
  // are written out: $0.30 5m write, $0.50 1h write, $0.03 read.
  {
    pattern: 'claude-3-haiku*',
    inputPerMTok: '0.25',
    outputPerMTok: '1.25',
    cacheWrite5mPerMTok: '0.30',
    cacheWrite1hPerMTok: '0.50',
    cacheReadPerMTok: '0.03',
    ...SERVER_TOOLS,
  },
];

import type { ModelPrice } from './model-price.js';
import { parseUsdPerMillion } from './parse-usd-per-million.js';
import { parseUsdPerThousand } from './parse-usd-per-thousand.js';

/** The prices of one request's tier in integers: pico-USD per token or per use. */
export interface TokenRates {
  tier: 'standard' | 'long-context';
  input: bigint;
  output: bigint;
  cacheWrite5m: bigint;
  cacheWrite1h: bigint;
  cacheRead: bigint;
  webSearch: bigint;
  webFetch: bigint;
}

// Anthropic's prompt-caching multipliers of the base input price, as exact
// fractions: 5-minute write 1.25× = 5/4, 1-hour write 2×, read 0.1× = 1/10.
// @see https://docs.anthropic.com/en/docs/build-with-claude/prompt-caching#pricing
const CACHE_WRITE_5M = { numerator: 5n, denominator: 4n };
const CACHE_WRITE_1H = { numerator: 2n, denominator: 1n };
const CACHE_READ = { numerator: 1n, denominator: 10n };

/**
 * The rates that apply to a request with `totalInputTokens` input tokens
 * (uncached input + cache writes + cache reads): the long-context tier when
 * the price has one and the input is strictly above its threshold — Anthropic
 * bills "requests that exceed 200K input tokens", counting cache reads and
 * writes, at the premium rates —, the standard prices otherwise.
 *
 * Throws with the price's pattern in the message when a price string is
 * invalid, or when an omitted cache price, derived by Anthropic's multiplier,
 * would not be a whole pico-USD per token (state that cache price explicitly).
 * @see https://docs.anthropic.com/en/docs/about-claude/pricing#long-context-pricing
 */
export function resolveTokenRates(options: { price: ModelPrice; totalInputTokens: number }): TokenRates {
  const { price, totalInputTokens } = options;
  const long = price.longContext !== undefined && totalInputTokens > price.longContext.thresholdInputTokens;
  // A price is read-only and priced on every request: parse each tier once. Frozen, so a caller cannot change a shared result.
  let tiers = resolved.get(price);
  if (tiers === undefined) {
    tiers = {};
    resolved.set(price, tiers);
  }
  const key = long ? 'long' : 'standard';
  return (tiers[key] ??= Object.freeze(parseTokenRates(price, totalInputTokens)));
}

/** Parsed rates per price object and tier. */
const resolved = new WeakMap<ModelPrice, { standard?: TokenRates; long?: TokenRates }>();

function parseTokenRates(price: ModelPrice, totalInputTokens: number): TokenRates {
  const label = (field: string): string => `price ${JSON.stringify(price.pattern)} ${field}`;
  const longContext = price.longContext;
  if (longContext !== undefined && !(Number.isSafeInteger(longContext.thresholdInputTokens) && longContext.thresholdInputTokens >= 0)) {
    throw new Error(
      `${label('longContext.thresholdInputTokens')}: ${String(longContext.thresholdInputTokens)} is not a non-negative whole number of tokens`,
    );
  }
  const long = longContext !== undefined && totalInputTokens > longContext.thresholdInputTokens;
  const tokens = long ? longContext : price;
  const prefix = long ? 'longContext.' : '';

  const input = parseUsdPerMillion(tokens.inputPerMTok, label(`${prefix}inputPerMTok`));
  const cachePrice = (
    field: 'cacheWrite5mPerMTok' | 'cacheWrite1hPerMTok' | 'cacheReadPerMTok',
    multiplier: { numerator: bigint; denominator: bigint },
  ): bigint => {
    const text = tokens[field];
    if (text !== undefined) return parseUsdPerMillion(text, label(prefix + field));
    const scaled = input * multiplier.numerator;
    if (scaled % multiplier.denominator !== 0n) {
      throw new Error(
        `${label(prefix + field)}: the default (${multiplier.numerator}/${multiplier.denominator} × inputPerMTok ` +
          `${JSON.stringify(tokens.inputPerMTok)}) is not a whole pico-USD per token; state ${field} explicitly`,
      );
    }
    return scaled / multiplier.denominator;
  };

  return {
    tier: long ? 'long-context' : 'standard',
    input,
    output: parseUsdPerMillion(tokens.outputPerMTok, label(`${prefix}outputPerMTok`)),
    cacheWrite5m: cachePrice('cacheWrite5mPerMTok', CACHE_WRITE_5M),
    cacheWrite1h: cachePrice('cacheWrite1hPerMTok', CACHE_WRITE_1H),
    cacheRead: cachePrice('cacheReadPerMTok', CACHE_READ),
    // Server tools are billed per use and the same in both tiers.
    // @see https://docs.anthropic.com/en/docs/agents-and-tools/tool-use/web-search-tool#usage-and-pricing
    webSearch: parseUsdPerThousand(price.webSearchPer1k ?? '10', label('webSearchPer1k')),
    // @see https://docs.anthropic.com/en/docs/agents-and-tools/tool-use/web-fetch-tool#usage-and-pricing
    webFetch: parseUsdPerThousand(price.webFetchPer1k ?? '0', label('webFetchPer1k')),
  };
}

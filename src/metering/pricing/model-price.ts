/**
 * What one model costs, as the operator writes it: USD per million tokens
 * (and USD per 1,000 server-tool uses), the way Anthropic publishes prices.
 *
 * Prices are decimal strings, never numbers: `0.1 + 0.2 !== 0.3` in floating
 * point, and a price table is money. They are parsed exactly into integers of
 * pico-USD (1e-12 USD) per token: `"3"` is 3,000,000 pico-USD per token,
 * `"0.30"` is 300,000. Pico-USD rather than nano-USD so that every price with
 * up to six decimals (`"0.0275"`, a 1.25× cache write of such a price) is a
 * whole number per token; the cost of a request is summed in pico-USD and
 * rounded once, to the nano-USD the ledger stores (`costNanoUsd`).
 *
 * An omitted cache price follows Anthropic's published multipliers of the
 * input price (5-minute write 1.25×, 1-hour write 2×, read 0.1×), an omitted
 * web search price is Anthropic's $10 per 1,000 searches and an omitted web
 * fetch price is zero (Anthropic charges only the fetched tokens): these
 * counts are only ever reported by Anthropic's API, so Anthropic's rules are
 * the right defaults, and forgetting a field never bills at zero by accident.
 * @see https://docs.anthropic.com/en/docs/about-claude/pricing
 */
export interface ModelPrice {
  /**
   * The model name this price applies to: exact (`claude-sonnet-4-5-20250929`)
   * or with `*` matching any run of characters (`claude-sonnet-4-5*`).
   * Case-sensitive, as Anthropic's model ids are. See `resolveModelPrice`.
   */
  readonly pattern: string;
  /** Uncached input tokens, USD per million tokens. */
  readonly inputPerMTok: string;
  /** Output tokens (thinking included), USD per million tokens. */
  readonly outputPerMTok: string;
  /** Prompt-cache writes with the five-minute TTL; default 1.25 × input. */
  readonly cacheWrite5mPerMTok?: string;
  /** Prompt-cache writes with the one-hour TTL; default 2 × input. */
  readonly cacheWrite1hPerMTok?: string;
  /** Prompt-cache reads (hits and refreshes); default 0.1 × input. */
  readonly cacheReadPerMTok?: string;
  /** Web search, USD per 1,000 searches; default "10" (Anthropic's price). */
  readonly webSearchPer1k?: string;
  /** Web fetch, USD per 1,000 fetches; default "0" (Anthropic charges only tokens). */
  readonly webFetchPer1k?: string;
  /** A second set of token prices for the whole request above an input size. */
  readonly longContext?: LongContextPrice;
}

/**
 * Anthropic's long-context tier: when a request's input (uncached input plus
 * cache writes plus cache reads) exceeds the threshold, every token of the
 * request — output included — is billed at these prices. Omitted cache prices
 * derive from this tier's input price by the same multipliers. Server-tool
 * prices do not change with the tier.
 * @see https://docs.anthropic.com/en/docs/about-claude/pricing#long-context-pricing
 */
export interface LongContextPrice {
  /** The tier applies when total input tokens are strictly greater than this. */
  readonly thresholdInputTokens: number;
  readonly inputPerMTok: string;
  readonly outputPerMTok: string;
  readonly cacheWrite5mPerMTok?: string;
  readonly cacheWrite1hPerMTok?: string;
  readonly cacheReadPerMTok?: string;
}

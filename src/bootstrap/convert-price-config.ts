import type { PriceConfig } from '../config/config.js';
import type { ModelPrice } from '../metering/pricing/model-price.js';

/** A price as written in YAML (snake_case, short names) → the pricing module's ModelPrice. */
export function convertPriceConfig(price: PriceConfig): ModelPrice {
  const optional = <T>(key: string, value: T | undefined) => (value === undefined ? {} : { [key]: value });
  return {
    pattern: price.model,
    inputPerMTok: price.input,
    outputPerMTok: price.output,
    ...optional('cacheWrite5mPerMTok', price.cache_write_5m),
    ...optional('cacheWrite1hPerMTok', price.cache_write_1h),
    ...optional('cacheReadPerMTok', price.cache_read),
    ...optional('webSearchPer1k', price.web_search_per_1k),
    ...optional('webFetchPer1k', price.web_fetch_per_1k),
    ...(price.long_context
      ? {
          longContext: {
            thresholdInputTokens: price.long_context.threshold_input_tokens,
            inputPerMTok: price.long_context.input,
            outputPerMTok: price.long_context.output,
            ...optional('cacheWrite5mPerMTok', price.long_context.cache_write_5m),
            ...optional('cacheWrite1hPerMTok', price.long_context.cache_write_1h),
            ...optional('cacheReadPerMTok', price.long_context.cache_read),
          },
        }
      : {}),
  };
}

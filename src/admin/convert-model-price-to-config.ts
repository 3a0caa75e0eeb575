import type { PriceConfig } from '../config/config.js';
import type { ModelPrice } from '../metering/pricing/model-price.js';

/** A ModelPrice → the configuration file's snake_case shape (`prices:` entries): the inverse of `convertPriceConfig`. */
export function convertModelPriceToConfig(price: ModelPrice): PriceConfig {
  const optional = <T>(key: string, value: T | undefined) => (value === undefined ? {} : { [key]: value });
  const long = price.longContext;
  return {
    model: price.pattern,
    input: price.inputPerMTok,
    output: price.outputPerMTok,
    ...optional('cache_write_5m', price.cacheWrite5mPerMTok),
    ...optional('cache_write_1h', price.cacheWrite1hPerMTok),
    ...optional('cache_read', price.cacheReadPerMTok),
    ...optional('web_search_per_1k', price.webSearchPer1k),
    ...optional('web_fetch_per_1k', price.webFetchPer1k),
    ...(long
      ? {
          long_context: {
            threshold_input_tokens: long.thresholdInputTokens,
            input: long.inputPerMTok,
            output: long.outputPerMTok,
            ...optional('cache_write_5m', long.cacheWrite5mPerMTok),
            ...optional('cache_write_1h', long.cacheWrite1hPerMTok),
            ...optional('cache_read', long.cacheReadPerMTok),
          },
        }
      : {}),
  };
}

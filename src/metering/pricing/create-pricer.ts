import type { Usage } from '../usage.js';
import type { ModelPrice } from './model-price.js';
import { estimateWorstCaseCost } from './estimate-worst-case-cost.js';
import { priceUsage } from './price-usage.js';
import { resolveModelPrice } from './resolve-model-price.js';

export interface Pricer {
  /**
   * What a request's usage costs on this model, in nano-USD, scaled by the
   * user's price group multiplier if any; undefined when the model has no price.
   */
  cost(options: { model: string; usage: Usage; multiplier?: string | undefined }): number | undefined;
  /** The most a request can cost (for a reservation), in nano-USD, multiplier applied; undefined when the model has no price. */
  worstCase(options: { model: string; inputTokens: number; maxOutputTokens: number; multiplier?: string | undefined }): number | undefined;
}

/**
 * Prices usage with one table (the operator's entries first, then the
 * defaults), resolving each model's price once and keeping it: the table only
 * changes with the configuration.
 */
export function createPricer(options: { table: readonly ModelPrice[]; onUnpriced?: (model: string) => void }): Pricer {
  const resolved = new Map<string, ModelPrice | undefined>();
  const priceOf = (model: string) => {
    let price = resolved.get(model);
    if (price === undefined && !resolved.has(model)) {
      price = resolveModelPrice({ model, table: options.table });
      resolved.set(model, price);
      if (!price) options.onUnpriced?.(model);
    }
    return price;
  };
  return {
    cost({ model, usage, multiplier }) {
      const price = priceOf(model);
      return price ? priceUsage({ usage, price, multiplier }).costNanoUsd : undefined;
    },
    worstCase({ model, inputTokens, maxOutputTokens, multiplier }) {
      const price = priceOf(model);
      return price ? estimateWorstCaseCost({ inputTokens, maxOutputTokens, price, multiplier }) : undefined;
    },
  };
}

import { convertPriceConfig } from '../bootstrap/convert-price-config.js';
import { priceConfigSchema } from '../config/config.js';
import { DEFAULT_PRICES } from '../metering/pricing/default-prices.js';
import type { ModelPrice } from '../metering/pricing/model-price.js';
import { resolveModelPrice } from '../metering/pricing/resolve-model-price.js';
import { validatePriceTable } from '../metering/pricing/validate-price-table.js';
import { adminErrors } from './admin-errors.js';
import type { AdminRoute } from './admin-route.js';
import { convertModelPriceToConfig } from './convert-model-price-to-config.js';
import { formatInstant } from './format-instant.js';
import { parseAdminInput } from './parse-admin-input.js';

type PriceSource = 'api' | 'config' | 'default';

/**
 * Prices, in the configuration file's `prices:` shape (USD per million tokens
 * as decimal strings). The effective table is matched in this order: prices
 * set here, then the configuration's, then the built-in defaults (an exact
 * model name beats every wildcard wherever it stands).
 */
export const PRICE_ROUTES: readonly AdminRoute[] = [
  {
    method: 'GET',
    path: '/prices',
    authenticated: true,
    async handle(request, context) {
      const stored = await context.storage.prices.list();
      const table: Array<{ price: ModelPrice; source: PriceSource; createdAt?: number; updatedAt?: number }> = [
        ...stored.map((entry) => ({ price: entry.price, source: 'api' as const, createdAt: entry.createdAt, updatedAt: entry.updatedAt })),
        ...context.configPrices.map((price) => ({ price, source: 'config' as const })),
        ...DEFAULT_PRICES.map((price) => ({ price, source: 'default' as const })),
      ];
      const model = request.query.get('model');
      let entries = table;
      if (model !== null) {
        // Only the entry that prices this model, as the gateway resolves it.
        const chosen = resolveModelPrice({ model, table: table.map((entry) => entry.price) });
        entries = table.filter((entry) => entry.price === chosen);
      }
      return {
        status: 200,
        body: {
          data: entries.map((entry) => ({
            ...convertModelPriceToConfig(entry.price),
            source: entry.source,
            created_at: entry.createdAt === undefined ? null : formatInstant(entry.createdAt),
            updated_at: entry.updatedAt === undefined ? null : formatInstant(entry.updatedAt),
          })),
        },
      };
    },
  },
  {
    method: 'PUT',
    path: '/prices/{pattern}',
    authenticated: true,
    async handle(request, context) {
      const pattern = request.params.pattern!;
      const body = request.body;
      if (typeof body !== 'object' || body === null || Array.isArray(body)) throw adminErrors.invalid('body', 'must be a JSON object');
      if ('model' in body && (body as { model: unknown }).model !== pattern) throw adminErrors.invalid('model', 'must match the pattern in the path (or be left out)');
      const price = convertPriceConfig(parseAdminInput({ schema: priceConfigSchema, value: { ...body, model: pattern } }));
      try {
        validatePriceTable({ table: [price] });
      } catch (error) {
        throw adminErrors.invalid('body', error instanceof Error ? error.message : String(error));
      }
      const { stored, created } = await context.storage.prices.upsert(price);
      return {
        status: created ? 201 : 200,
        body: { ...convertModelPriceToConfig(stored.price), source: 'api', created_at: formatInstant(stored.createdAt), updated_at: formatInstant(stored.updatedAt) },
      };
    },
  },
  {
    method: 'DELETE',
    path: '/prices/{pattern}',
    authenticated: true,
    async handle(request, context) {
      const pattern = request.params.pattern!;
      if (!(await context.storage.prices.remove(pattern))) {
        const elsewhere = context.configPrices.some((price) => price.pattern === pattern)
          ? ' (it comes from the configuration file; change it there)'
          : DEFAULT_PRICES.some((price) => price.pattern === pattern)
            ? ' (it is a built-in default; override it with PUT instead)'
            : '';
        throw adminErrors.notFound(`No price set through the admin API for ${JSON.stringify(pattern)}${elsewhere}.`);
      }
      return { status: 204 };
    },
  },
];

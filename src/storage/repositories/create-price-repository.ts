import type { Selectable } from 'kysely';
import type { ModelPrice } from '../../metering/pricing/model-price.js';
import type { Database } from '../database.js';
import type { PricesTable } from '../database-schema.js';
import { toSafeInteger } from '../to-safe-integer.js';
import { writeTransaction } from '../write-transaction.js';
import { bumpRevision } from './bump-revision.js';

/** A price the operator set at run time (admin API), with when. */
export interface StoredPrice {
  price: ModelPrice;
  createdAt: number;
  updatedAt: number;
}

export interface PriceRepository {
  /** Oldest first: the order they are matched in, before the configuration's prices and the defaults. */
  list(): Promise<StoredPrice[]>;
  /** Creates or replaces the price for `price.pattern`. Validate it first (`validatePriceTable`). */
  upsert(price: ModelPrice): Promise<{ stored: StoredPrice; created: boolean }>;
  /** Whether there was such a price. */
  remove(pattern: string): Promise<boolean>;
}

/** Revision bumped on every change, so every instance rebuilds its pricer. */
export const PRICES_REVISION = 'prices';

export function createPriceRepository(database: Database): PriceRepository {
  const { db } = database;
  return {
    async list() {
      const rows = await db.selectFrom('prices').selectAll().orderBy('created_at').orderBy('pattern').execute();
      return rows.map(toStoredPrice);
    },
    async upsert(price) {
      return writeTransaction(database, async (trx) => {
        const now = Date.now();
        const text = JSON.stringify(price);
        const existing = await trx.selectFrom('prices').select('pattern').where('pattern', '=', price.pattern).executeTakeFirst();
        if (existing) await trx.updateTable('prices').set({ price: text, updated_at: now }).where('pattern', '=', price.pattern).execute();
        else await trx.insertInto('prices').values({ pattern: price.pattern, price: text, created_at: now, updated_at: now }).execute();
        await bumpRevision(trx, PRICES_REVISION);
        const row = await trx.selectFrom('prices').selectAll().where('pattern', '=', price.pattern).executeTakeFirstOrThrow();
        return { stored: toStoredPrice(row), created: !existing };
      });
    },
    async remove(pattern) {
      return writeTransaction(database, async (trx) => {
        const result = await trx.deleteFrom('prices').where('pattern', '=', pattern).executeTakeFirst();
        const removed = Number(result.numDeletedRows) > 0;
        if (removed) await bumpRevision(trx, PRICES_REVISION);
        return removed;
      });
    },
  };
}

function toStoredPrice(row: Selectable<PricesTable>): StoredPrice {
  return {
    price: JSON.parse(row.price) as ModelPrice,
    createdAt: toSafeInteger(row.created_at, 'prices.created_at'),
    updatedAt: toSafeInteger(row.updated_at, 'prices.updated_at'),
  };
}

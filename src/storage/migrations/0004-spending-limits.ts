import type { Kysely } from 'kysely';

/*
 * Spending beyond the prepaid balance:
 *
 * - a user may have a spending limit per period (day, week or month, UTC):
 *   `spend_limit_nano_usd` and `spend_limit_period`, with the running total
 *   `period_spent_nano_usd` of the period that began at `period_started_at`
 *   (reset lazily by the first reservation of a new period);
 * - a user may belong to a price group whose multiplier scales every cost
 *   (`group_name` → `user_groups`);
 * - a key may have its own quota (its limit lives in the key's policy JSON);
 *   `quota_used_nano_usd` is what it has spent, reservations included;
 * - operators may add prices at run time (`prices`), which come before the
 *   configuration's and the built-in table.
 *
 * Money is integer nano-USD in BIGINT columns, as elsewhere.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('users').addColumn('group_name', 'text').execute();
  await db.schema.alterTable('users').addColumn('spend_limit_nano_usd', 'bigint').execute();
  await db.schema.alterTable('users').addColumn('spend_limit_period', 'text').execute();
  await db.schema.alterTable('users').addColumn('period_started_at', 'bigint').execute();
  await db.schema.alterTable('users').addColumn('period_spent_nano_usd', 'bigint', (column) => column.notNull().defaultTo(0)).execute();
  await db.schema.alterTable('api_keys').addColumn('quota_used_nano_usd', 'bigint', (column) => column.notNull().defaultTo(0)).execute();

  await db.schema
    .createTable('user_groups')
    .addColumn('name', 'text', (column) => column.primaryKey())
    // An exact decimal string ("0.8"), parsed into a fraction: never a float.
    .addColumn('price_multiplier', 'text', (column) => column.notNull())
    .addColumn('created_at', 'bigint', (column) => column.notNull())
    .addColumn('updated_at', 'bigint', (column) => column.notNull())
    .execute();

  await db.schema
    .createTable('prices')
    .addColumn('pattern', 'text', (column) => column.primaryKey())
    // JSON of a ModelPrice: decimal strings of USD per million tokens.
    .addColumn('price', 'text', (column) => column.notNull())
    .addColumn('created_at', 'bigint', (column) => column.notNull())
    .addColumn('updated_at', 'bigint', (column) => column.notNull())
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('prices').execute();
  await db.schema.dropTable('user_groups').execute();
  await db.schema.alterTable('api_keys').dropColumn('quota_used_nano_usd').execute();
  for (const column of ['period_spent_nano_usd', 'period_started_at', 'spend_limit_period', 'spend_limit_nano_usd', 'group_name']) {
    await db.schema.alterTable('users').dropColumn(column).execute();
  }
}

import { sql, type Kysely } from 'kysely';

/*
 * What a key may do: allowed models and client addresses, and its rate
 * limits, as one JSON text column. A policy is read whole with its key and
 * changes as a unit, so one column keeps the schema and the upsert simple.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('api_keys').addColumn('policy', 'text', (column) => column.notNull().defaultTo(sql`'{}'`)).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('api_keys').dropColumn('policy').execute();
}

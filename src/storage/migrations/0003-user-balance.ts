import type { Kysely } from 'kysely';

/*
 * A prepaid balance per user, in nano-USD. NULL means the user is not billed
 * (no balance to check), which keeps every existing user working as before.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('users').addColumn('balance_nano_usd', 'bigint').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('users').dropColumn('balance_nano_usd').execute();
}

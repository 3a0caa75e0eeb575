import type { Kysely } from 'kysely';

/*
 * Balance leases: a server process takes a share of a user's prepaid balance
 * in one transaction and reserves requests from it in memory, instead of one
 * database transaction per request (see `create-balance-leases.ts`).
 *
 * - `amount_nano_usd` is what the lease still holds: it was taken from
 *   `users.balance_nano_usd`, and every ledger row settled against the lease
 *   takes its cost from here. It may go below zero when a request cost more
 *   than it reserved.
 * - `expires_at` is renewed by the owning process while it runs; a lease past
 *   it is reclaimed by any process: its amount goes back to the balance and
 *   the row is deleted. So is, at once, a lease whose owner (`owner`,
 *   `owner_pid`) is a process on the same machine that no longer runs.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('balance_leases')
    .addColumn('id', 'text', (column) => column.primaryKey())
    .addColumn('user_id', 'text', (column) => column.notNull().references('users.id'))
    .addColumn('amount_nano_usd', 'bigint', (column) => column.notNull())
    .addColumn('expires_at', 'bigint', (column) => column.notNull())
    .addColumn('created_at', 'bigint', (column) => column.notNull())
    // The owning process: its machine and PID namespace, and its PID there. A lease whose owner is
    // on this machine and no longer runs is reclaimed at once instead of when it expires.
    .addColumn('owner', 'text', (column) => column.notNull())
    .addColumn('owner_pid', 'integer', (column) => column.notNull())
    .execute();
  await db.schema.createIndex('balance_leases_user_id').on('balance_leases').column('user_id').execute();
  await db.schema.createIndex('balance_leases_expires_at').on('balance_leases').column('expires_at').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('balance_leases').execute();
}

import { sql, type Kysely } from 'kysely';

/*
 * Initial schema. Migrations take `Kysely<any>` on purpose: they describe the
 * database as it was at that point in history, not the current
 * `DatabaseSchema`, and must keep compiling as that type evolves.
 *
 * Only portable DDL is used (text, integer, bigint, plain defaults, CHECK, and
 * partial indexes) so the same migration runs on SQLite and PostgreSQL.
 * Timestamps are BIGINT milliseconds (they overflow a 32-bit INTEGER); counts
 * that fit comfortably in 32 bits stay INTEGER, which `pg` returns as numbers.
 */

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('users')
    .addColumn('id', 'text', (column) => column.primaryKey())
    .addColumn('name', 'text', (column) => column.notNull().unique())
    .addColumn('role', 'text', (column) => column.notNull())
    .addColumn('created_at', 'bigint', (column) => column.notNull())
    .execute();

  await db.schema
    .createTable('api_keys')
    .addColumn('id', 'text', (column) => column.primaryKey())
    .addColumn('user_id', 'text', (column) => column.notNull().references('users.id'))
    .addColumn('name', 'text', (column) => column.notNull())
    .addColumn('prefix', 'text', (column) => column.notNull())
    .addColumn('secret_hash', 'text', (column) => column.notNull().unique())
    .addColumn('status', 'text', (column) => column.notNull().defaultTo('active'))
    .addColumn('created_at', 'bigint', (column) => column.notNull())
    .addColumn('revoked_at', 'bigint')
    .addColumn('expires_at', 'bigint')
    .addColumn('last_used_at', 'bigint')
    .addCheckConstraint('api_keys_status_check', sql`status in ('active', 'revoked')`)
    .execute();
  // Names identify keys for the CLI and config, but only among live keys:
  // revoking "ci" and issuing a new "ci" must work, and the old row stays for
  // the audit trail.
  await db.schema
    .createIndex('api_keys_active_name_unique')
    .on('api_keys')
    .column('name')
    .unique()
    .where(sql.ref('status'), '=', 'active')
    .execute();
  await db.schema.createIndex('api_keys_user_id_index').on('api_keys').column('user_id').execute();

  await db.schema
    .createTable('channels')
    .addColumn('id', 'text', (column) => column.primaryKey())
    .addColumn('name', 'text', (column) => column.notNull().unique())
    .addColumn('type', 'text', (column) => column.notNull())
    .addColumn('base_url', 'text', (column) => column.notNull())
    .addColumn('credentials_encrypted', 'text', (column) => column.notNull())
    .addColumn('models', 'text', (column) => column.notNull().defaultTo('[]'))
    .addColumn('model_map', 'text', (column) => column.notNull().defaultTo('{}'))
    .addColumn('priority', 'integer', (column) => column.notNull().defaultTo(0))
    .addColumn('weight', 'integer', (column) => column.notNull().defaultTo(1))
    .addColumn('enabled', 'integer', (column) => column.notNull().defaultTo(1))
    .addColumn('settings', 'text', (column) => column.notNull().defaultTo('{}'))
    .addColumn('source', 'text', (column) => column.notNull())
    .addColumn('created_at', 'bigint', (column) => column.notNull())
    .addColumn('updated_at', 'bigint', (column) => column.notNull())
    .addCheckConstraint('channels_enabled_check', sql`enabled in (0, 1)`)
    .addCheckConstraint('channels_weight_check', sql`weight >= 0`)
    .execute();

  // The ledger is append-only and deliberately has no foreign keys: entries
  // must outlive the keys, users and channels they mention (hence the
  // denormalised channel_name), and inserts stay cheap.
  await db.schema
    .createTable('ledger')
    .addColumn('id', 'text', (column) => column.primaryKey())
    .addColumn('created_at', 'bigint', (column) => column.notNull())
    .addColumn('api_key_id', 'text')
    .addColumn('user_id', 'text')
    .addColumn('channel_id', 'text')
    .addColumn('channel_name', 'text')
    .addColumn('client_model', 'text')
    .addColumn('upstream_model', 'text')
    .addColumn('dialect', 'text', (column) => column.notNull())
    .addColumn('endpoint', 'text', (column) => column.notNull())
    .addColumn('stream', 'integer', (column) => column.notNull().defaultTo(0))
    .addColumn('status', 'integer', (column) => column.notNull())
    .addColumn('outcome', 'text', (column) => column.notNull())
    .addColumn('error_type', 'text')
    .addColumn('latency_ms', 'integer', (column) => column.notNull())
    .addColumn('ttfb_ms', 'integer')
    .addColumn('input_tokens', 'integer', (column) => column.notNull().defaultTo(0))
    .addColumn('output_tokens', 'integer', (column) => column.notNull().defaultTo(0))
    .addColumn('cache_write_5m_tokens', 'integer', (column) => column.notNull().defaultTo(0))
    .addColumn('cache_write_1h_tokens', 'integer', (column) => column.notNull().defaultTo(0))
    .addColumn('cache_read_tokens', 'integer', (column) => column.notNull().defaultTo(0))
    .addColumn('web_search_requests', 'integer', (column) => column.notNull().defaultTo(0))
    .addColumn('web_fetch_requests', 'integer', (column) => column.notNull().defaultTo(0))
    .addColumn('cost_nano_usd', 'bigint', (column) => column.notNull().defaultTo(0))
    .addColumn('session_id', 'text')
    .execute();
  await db.schema.createIndex('ledger_created_at_index').on('ledger').column('created_at').execute();
  // Composite so "latest entries of one key" is a single index range scan.
  await db.schema
    .createIndex('ledger_api_key_id_created_at_index')
    .on('ledger')
    .columns(['api_key_id', 'created_at'])
    .execute();

  await db.schema
    .createTable('revisions')
    .addColumn('name', 'text', (column) => column.primaryKey())
    .addColumn('revision', 'integer', (column) => column.notNull().defaultTo(0))
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ['revisions', 'ledger', 'channels', 'api_keys', 'users']) {
    await db.schema.dropTable(table).ifExists().execute();
  }
}

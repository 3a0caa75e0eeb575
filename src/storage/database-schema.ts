import type { ColumnType } from 'kysely';

/**
 * Kysely view of the tables created by `migrations/`. Types here describe what
 * both dialects actually return, which is why everything is deliberately plain:
 *
 * - ids are text (prefixed random strings, see `generate-id.ts`);
 * - timestamps are integer milliseconds since the epoch in BIGINT columns;
 * - booleans are INTEGER 0/1 on both dialects (SQLite has no boolean type);
 * - JSON is stored as text and parsed by the repositories.
 *
 * BIGINT columns: PostgreSQL's int8 would come back from `pg` as a string; the
 * pool created in `create-database.ts` parses int8 into a number whenever the
 * value is a safe integer, and the repositories only ever write safe integers,
 * so these columns read back as numbers. Repositories still pass them through
 * `toSafeInteger` so a hand-written out-of-range value fails loudly instead of
 * silently losing precision.
 */
export interface DatabaseSchema {
  users: UsersTable;
  api_keys: ApiKeysTable;
  channels: ChannelsTable;
  ledger: LedgerTable;
  revisions: RevisionsTable;
  user_groups: UserGroupsTable;
  prices: PricesTable;
  balance_leases: BalanceLeasesTable;
}

/** A BIGINT column: read as number (see above), written as a safe integer. */
type Int64 = ColumnType<number | string, number, number>;
type NullableInt64 = ColumnType<number | string | null, number | null, number | null>;
/** A column with a database default: optional on insert. */
type Defaulted<T> = ColumnType<T, T | undefined, T>;

export interface UsersTable {
  id: string;
  name: string;
  role: string;
  created_at: Int64;
  /** Prepaid balance in nano-USD; NULL for users who are not billed. */
  balance_nano_usd: ColumnType<number | string | null, number | null | undefined, number | null>;
  /** A price group (`user_groups.name`); NULL pays list prices. */
  group_name: ColumnType<string | null, string | null | undefined, string | null>;
  /** Most the user may spend per period, in nano-USD; NULL for no limit. */
  spend_limit_nano_usd: ColumnType<number | string | null, number | null | undefined, number | null>;
  /** 'day' | 'week' | 'month' (UTC), set whenever spend_limit_nano_usd is. */
  spend_limit_period: ColumnType<string | null, string | null | undefined, string | null>;
  /** Start of the period `period_spent_nano_usd` counts. */
  period_started_at: ColumnType<number | string | null, number | null | undefined, number | null>;
  period_spent_nano_usd: ColumnType<number | string, number | undefined, number>;
}

/** A share of a user's balance a server process reserves requests from in memory (migration 0005). */
export interface BalanceLeasesTable {
  id: string;
  user_id: string;
  /** What the lease still holds, in nano-USD: taken from the balance, minus the costs settled against it. */
  amount_nano_usd: Int64;
  /** The owner renews it while it runs; past it, any process returns the amount to the balance. */
  expires_at: Int64;
  created_at: Int64;
  /** The owning process's machine and PID namespace (`hostname:pid:[inode]`). */
  owner: string;
  owner_pid: number;
}

export interface ApiKeysTable {
  id: string;
  user_id: string;
  name: string;
  prefix: string;
  secret_hash: string;
  status: string;
  created_at: Int64;
  revoked_at: NullableInt64;
  expires_at: NullableInt64;
  last_used_at: NullableInt64;
  /** JSON of an ApiKeyPolicy. */
  policy: Defaulted<string>;
  /** Spent against the key's own quota (policy.quotaNanoUsd), reservations included. */
  quota_used_nano_usd: ColumnType<number | string, number | undefined, number>;
}

export interface ChannelsTable {
  id: string;
  name: string;
  type: string;
  base_url: string;
  credentials_encrypted: string;
  /** JSON array of model patterns. */
  models: string;
  /** JSON object: client model name -> upstream model name. */
  model_map: string;
  priority: Defaulted<number>;
  weight: Defaulted<number>;
  enabled: Defaulted<number>;
  /** JSON object of per-channel settings. */
  settings: Defaulted<string>;
  source: string;
  created_at: Int64;
  updated_at: Int64;
}

export interface LedgerTable {
  id: string;
  created_at: Int64;
  api_key_id: string | null;
  user_id: string | null;
  channel_id: string | null;
  channel_name: string | null;
  client_model: string | null;
  upstream_model: string | null;
  dialect: string;
  endpoint: string;
  stream: number;
  status: number;
  outcome: string;
  error_type: string | null;
  latency_ms: number;
  ttfb_ms: number | null;
  input_tokens: Defaulted<number>;
  output_tokens: Defaulted<number>;
  cache_write_5m_tokens: Defaulted<number>;
  cache_write_1h_tokens: Defaulted<number>;
  cache_read_tokens: Defaulted<number>;
  web_search_requests: Defaulted<number>;
  web_fetch_requests: Defaulted<number>;
  cost_nano_usd: ColumnType<number | string, number | undefined, number>;
  session_id: string | null;
}

export interface UserGroupsTable {
  name: string;
  /** Exact decimal string, e.g. "0.8". */
  price_multiplier: string;
  created_at: Int64;
  updated_at: Int64;
}

export interface PricesTable {
  pattern: string;
  /** JSON of a ModelPrice. */
  price: string;
  created_at: Int64;
  updated_at: Int64;
}

export interface RevisionsTable {
  name: string;
  revision: number;
}

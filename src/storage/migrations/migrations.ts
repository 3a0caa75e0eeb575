import type { Migration } from 'kysely';
import * as initial from './0001-initial.js';
import * as apiKeyPolicy from './0002-api-key-policy.js';
import * as userBalance from './0003-user-balance.js';
import * as spendingLimits from './0004-spending-limits.js';
import * as balanceLeases from './0005-balance-leases.js';

/**
 * Every migration, keyed by the name recorded in `kysely_migration`. Kysely
 * applies them in key order, so new names must sort after the existing ones
 * (keep the zero-padded counter). The list is static imports rather than a
 * directory scan so it works unchanged from `dist/`, from a bundle, and from
 * the TypeScript sources under test.
 *
 * Writing a migration: on SQLite the whole run executes inside one
 * `BEGIN IMMEDIATE` transaction (see `migrate-to-latest.ts`), so `PRAGMA
 * foreign_keys = OFF` is ignored there; table rebuilds should use `PRAGMA
 * defer_foreign_keys = ON` instead. Never edit a migration that has shipped.
 */
export const migrations: Readonly<Record<string, Migration>> = {
  '0001_initial': initial,
  '0002_api_key_policy': apiKeyPolicy,
  '0003_user_balance': userBalance,
  '0004_spending_limits': spendingLimits,
  '0005_balance_leases': balanceLeases,
};

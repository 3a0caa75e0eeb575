import type { SpendPeriod } from './spend-period.js';

/** Someone who owns API keys; ledger entries are attributed to them. */
export interface User {
  id: string;
  /** Unique, human-chosen. */
  name: string;
  role: 'admin' | 'user';
  /** Milliseconds since the epoch. */
  createdAt: number;
  /** Prepaid balance in nano-USD, with what balance leases hold of it (their requests in flight count as not spent yet); null for a user who is not billed. */
  balanceNanoUsd: number | null;
  /** The price group whose multiplier scales this user's costs; null pays list prices. */
  groupName: string | null;
  /** The most the user may spend per period (UTC), or null for no limit. */
  spendLimit: { amountNanoUsd: number; period: SpendPeriod } | null;
  /** Spent in the period that began at `periodStartedAt`, reservations included. */
  periodSpentNanoUsd: number;
  periodStartedAt: number | null;
}

/** Someone who owns API keys; ledger entries are attributed to them. */
export interface User {
  id: string;
  /** Unique, human-chosen. */
  name: string;
  role: 'admin' | 'user';
  /** Milliseconds since the epoch. */
  createdAt: number;
  /** Prepaid balance in nano-USD; null for a user who is not billed. */
  balanceNanoUsd: number | null;
}

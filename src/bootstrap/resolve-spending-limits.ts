import type { ApiKeyPolicy } from '../storage/api-key-policy.js';
import type { SpendingLimits } from '../storage/repositories/create-spending-repository.js';
import type { User } from '../storage/user.js';

/**
 * What a key's requests must be reserved against: its user's prepaid balance
 * (when the user is billed), the key's own quota, the user's spending limit
 * per period. Undefined when none applies, so such keys skip the reservation.
 */
export function resolveSpendingLimits(policy: ApiKeyPolicy, user: Pick<User, 'balanceNanoUsd' | 'spendLimit'> | undefined): SpendingLimits | undefined {
  const balance = user !== undefined && user.balanceNanoUsd !== null;
  const keyQuotaNanoUsd = policy.quotaNanoUsd;
  const period = user?.spendLimit?.period;
  if (!balance && keyQuotaNanoUsd === undefined && period === undefined) return undefined;
  return { balance, ...(keyQuotaNanoUsd === undefined ? {} : { keyQuotaNanoUsd }), ...(period === undefined ? {} : { period }) };
}

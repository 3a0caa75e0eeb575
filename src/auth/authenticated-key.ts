/** The client's API key (ours, not an upstream's) once it has been checked. */
import type { ApiKeyPolicy } from '../storage/api-key-policy.js';
import type { SpendingLimits } from '../storage/repositories/create-spending-repository.js';

export interface AuthenticatedKey {
  id: string;
  userId: string;
  name: string;
  policy: ApiKeyPolicy;
  /**
   * What this key's requests spend against (the user's prepaid balance, the
   * key's own quota, the user's period limit); undefined when none applies.
   * When set, every request reserves its worst case first.
   */
  spending: SpendingLimits | undefined;
  /** The user's price group multiplier ("0.8"); undefined for list prices. */
  priceMultiplier: string | undefined;
}

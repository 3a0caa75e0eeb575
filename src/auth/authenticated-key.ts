/** The client's API key (ours, not an upstream's) once it has been checked. */
import type { ApiKeyPolicy } from '../storage/api-key-policy.js';

export interface AuthenticatedKey {
  id: string;
  userId: string;
  name: string;
  policy: ApiKeyPolicy;
  /** The key's user has a prepaid balance: every request reserves its worst case first. */
  billed: boolean;
}

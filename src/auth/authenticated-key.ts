/** The client's API key (ours, not an upstream's) once it has been checked. */
import type { ApiKeyPolicy } from '../storage/api-key-policy.js';

export interface AuthenticatedKey {
  id: string;
  userId: string;
  name: string;
  policy: ApiKeyPolicy;
}

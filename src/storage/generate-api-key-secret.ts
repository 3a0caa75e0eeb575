import { randomBase62 } from './random-base62.js';

/** Every generated secret starts with this, so leaked keys are easy to grep for. */
export const API_KEY_SECRET_PREFIX = 'sk-mr-';

/** A new API key secret: `sk-mr-` followed by 40 random base62 characters (~238 bits). */
export function generateApiKeySecret(): string {
  return API_KEY_SECRET_PREFIX + randomBase62(40);
}

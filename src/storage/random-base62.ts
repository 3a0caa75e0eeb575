import { randomBytes } from 'node:crypto';

const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
/**
 * Largest multiple of 62 that fits in a byte. Bytes at or above it are thrown
 * away (rejection sampling) so every character is uniformly distributed; a
 * plain `byte % 62` would make the first 8 characters slightly more likely.
 */
const UNBIASED_LIMIT = 248;

/** `length` uniformly random characters from [0-9A-Za-z], from the CSPRNG. */
export function randomBase62(length: number): string {
  if (!Number.isInteger(length) || length < 0) {
    throw new RangeError(`randomBase62: invalid length ${length}`);
  }
  let result = '';
  while (result.length < length) {
    // ~3% of bytes are rejected; over-draw a little to usually need one round.
    const bytes = randomBytes(Math.ceil((length - result.length) * 1.1) + 4);
    for (const byte of bytes) {
      if (byte < UNBIASED_LIMIT) {
        result += ALPHABET[byte % 62];
        if (result.length === length) break;
      }
    }
  }
  return result;
}

import { randomBase62 } from './random-base62.js';

/**
 * A new primary key such as `usr_3kTq…`: a type prefix (so an id in a log line
 * says what it is) plus 20 random base62 characters (~119 bits, so ids can be
 * generated independently by several processes without coordination).
 */
export function generateId(prefix: 'usr' | 'key' | 'ch'): string {
  return `${prefix}_${randomBase62(20)}`;
}

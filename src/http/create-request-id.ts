import { randomFillSync } from 'node:crypto';

/** Base62 digits in ASCII order, so fixed-width base62 numbers sort as text in numeric order. */
const ALPHABET = Buffer.from('0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz', 'latin1');
const PREFIX = 'req_mr';
/** Milliseconds since the epoch in 8 base62 digits (62^8 ms is about 6,900 years). */
const TIME_DIGITS = 8;
/** Random base62 digits after the time: about 95 bits. */
const RANDOM_DIGITS = 16;
/** The id is written here byte by byte and read out as one string (not 24 concatenations). */
const ID = Buffer.from(PREFIX + '0'.repeat(TIME_DIGITS + RANDOM_DIGITS), 'latin1');
/** Entropy is drawn in blocks: one system call per 256 ids instead of one per request (it showed in profiles). */
const POOL = Buffer.alloc(RANDOM_DIGITS * 256);
let offset = POOL.length;
/** The millisecond whose digits are in ID now. */
let writtenMs = -1;

/**
 * A request id in Anthropic's style (`req_` + base62), unique enough to be the
 * ledger's primary key across instances. It starts with the time, so ids sort
 * by creation (to the millisecond): the ledger's primary-key index then grows
 * at its end, like its time index, instead of taking each row at a random
 * place — with random ids every insert touched a random page, and the cost of
 * a row grew with the table (18 µs at 100,000 rows, 35 µs at 200,000, here).
 */
export function createRequestId(now = Date.now()): string {
  if (now !== writtenMs) {
    writtenMs = now;
    let rest = now;
    for (let index = PREFIX.length + TIME_DIGITS - 1; index >= PREFIX.length; index--) {
      ID[index] = ALPHABET[rest % 62]!;
      rest = Math.floor(rest / 62);
    }
  }
  if (offset + RANDOM_DIGITS > POOL.length) {
    randomFillSync(POOL);
    offset = 0;
  }
  const start = PREFIX.length + TIME_DIGITS;
  for (let index = 0; index < RANDOM_DIGITS; index++) ID[start + index] = ALPHABET[POOL[offset + index]! % 62]!;
  offset += RANDOM_DIGITS;
  return ID.toString('latin1');
}

import { randomFillSync } from 'node:crypto';

const ALPHABET = Buffer.from('0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz', 'latin1');
const PREFIX = 'req_mr';
const ID_BYTES = 24;
/** The id is written here byte by byte and read out as one string (not 24 concatenations). */
const ID = Buffer.from(PREFIX + '0'.repeat(ID_BYTES), 'latin1');
/** Entropy is drawn in blocks: one system call per 256 ids instead of one per request (it showed in profiles). */
const POOL = Buffer.alloc(ID_BYTES * 256);
let offset = POOL.length;

/** A request id in Anthropic's style (`req_` + base62), unique enough to be the ledger's primary key across instances. */
export function createRequestId(): string {
  if (offset + ID_BYTES > POOL.length) {
    randomFillSync(POOL);
    offset = 0;
  }
  for (let index = 0; index < ID_BYTES; index++) ID[PREFIX.length + index] = ALPHABET[POOL[offset + index]! % 62]!;
  offset += ID_BYTES;
  return ID.toString('latin1');
}

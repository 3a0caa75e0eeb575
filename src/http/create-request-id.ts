import { randomFillSync } from 'node:crypto';

const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const ID_BYTES = 24;
/** Entropy is drawn in blocks: one system call per 256 ids instead of one per request (it showed in profiles). */
const POOL = Buffer.alloc(ID_BYTES * 256);
let offset = POOL.length;

/** A request id in Anthropic's style (`req_` + base62), unique enough to be the ledger's primary key across instances. */
export function createRequestId(): string {
  if (offset + ID_BYTES > POOL.length) {
    randomFillSync(POOL);
    offset = 0;
  }
  let id = 'req_mr';
  for (let index = offset; index < offset + ID_BYTES; index++) id += ALPHABET[POOL[index]! % 62];
  offset += ID_BYTES;
  return id;
}

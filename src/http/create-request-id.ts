import { randomBytes } from 'node:crypto';

const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/** A request id in Anthropic's style (`req_` + base62), unique enough to be the ledger's primary key. */
export function createRequestId(): string {
  const bytes = randomBytes(24);
  let id = 'req_mr';
  for (const byte of bytes) id += ALPHABET[byte % 62];
  return id;
}

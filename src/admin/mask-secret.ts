/**
 * What an answer may show of a credential: its last four characters, only
 * when it is long enough that they give nothing useful away (`…0001`), else
 * just the ellipsis. Enough to tell two keys apart, never to use one.
 */
export function maskSecret(secret: string): string {
  return secret.length >= 16 ? `…${secret.slice(-4)}` : '…';
}

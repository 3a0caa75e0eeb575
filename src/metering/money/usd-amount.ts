/** Nano-USD per USD: the ledger's unit. */
const NANO_PER_USD = 1_000_000_000n;

const AMOUNT = /^(-?)(\d{1,16})(?:\.(\d{1,9}))?$/;

/**
 * An amount of money written in USD ("25.50", "-5", "0.000000001") → whole
 * nano-USD, exactly, never through floating point. At most nine decimals (a
 * nano-USD), and at most about $9 million (2^53 nano-USD, the largest whole
 * number a JavaScript number holds exactly); undefined for anything else.
 */
export function parseUsdAmount(text: string): number | undefined {
  const match = AMOUNT.exec(text);
  if (!match) return undefined;
  const nano = BigInt(match[2]!) * NANO_PER_USD + BigInt((match[3] ?? '').padEnd(9, '0'));
  if (nano > BigInt(Number.MAX_SAFE_INTEGER)) return undefined;
  return Number(match[1] === '-' ? -nano : nano);
}

/** Whole nano-USD → a USD decimal string with all nine decimals ("12.500000000"), exactly. */
export function formatNanoUsd(nanoUsd: number): string {
  const value = BigInt(nanoUsd);
  const sign = value < 0n ? '-' : '';
  const magnitude = value < 0n ? -value : value;
  return `${sign}${magnitude / NANO_PER_USD}.${(magnitude % NANO_PER_USD).toString().padStart(9, '0')}`;
}

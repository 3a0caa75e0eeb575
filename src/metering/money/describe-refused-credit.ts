import { formatNanoUsd } from './usd-amount.js';

/**
 * Why taking `amountNanoUsd` (negative) from a user's balance was refused.
 * `shownNanoUsd` is the balance as shown, which counts what running servers
 * lease of it; a credit can only take what is not leased, so when the shown
 * balance would have covered it, the leases are why, and they come back to
 * the balance once their servers are idle.
 */
export function describeRefusedCredit(options: { name: string; shownNanoUsd: number; amountNanoUsd: number }): string {
  const { name, shownNanoUsd, amountNanoUsd } = options;
  const balance = `The balance of ${JSON.stringify(name)} (${formatNanoUsd(shownNanoUsd)} USD)`;
  if (shownNanoUsd + amountNanoUsd >= 0) {
    return `${balance} is partly leased by running servers, which reserve its requests from their share; only what is not leased can be taken. Leases return after 10 idle seconds: try again then.`;
  }
  return `${balance} cannot go below zero.`;
}

import { isIP } from 'node:net';

/**
 * Whether a key's client allowlist entry is an IPv4 or IPv6 address, or a CIDR
 * range with a prefix length that fits its family (`10.0.0.0/8`,
 * `2001:db8::/32`): what `checkKeyPolicy` can compile. Anything else would
 * fail every request of the key, so it is refused when it is set.
 */
export function isIpAddressOrRange(entry: string): boolean {
  const [address = '', prefix, extra] = entry.split('/');
  if (extra !== undefined) return false;
  const family = isIP(address);
  if (family === 0) return false;
  if (prefix === undefined) return true;
  if (!/^\d{1,3}$/.test(prefix)) return false;
  return Number(prefix) <= (family === 4 ? 32 : 128);
}

import { describe, expect, it } from 'vitest';
import { isIpAddressOrRange } from './is-ip-address-or-range.js';

describe('isIpAddressOrRange', () => {
  it('accepts addresses and CIDR ranges of either family', () => {
    for (const entry of ['127.0.0.1', '10.0.0.0/8', '0.0.0.0/0', '::1', '2001:db8::/32', '::/0', '::ffff:10.0.0.1', '10.1.2.3/32', '::1/128']) {
      expect(isIpAddressOrRange(entry), entry).toBe(true);
    }
  });

  it('refuses what a key policy could not compile', () => {
    for (const entry of ['', 'localhost', '10.0.0.0/33', '::1/129', '10.0.0.0/', '10.0.0.0/8/8', '10.0.0.0/-1', '10.0.0/8', '1.2.3.4 ', '10.0.0.0/0x8']) {
      expect(isIpAddressOrRange(entry), entry).toBe(false);
    }
  });
});

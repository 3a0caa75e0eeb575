import { describe, expect, it } from 'vitest';
import { describeRefusedCredit } from './describe-refused-credit.js';

describe('describeRefusedCredit', () => {
  it('names the leases when the shown balance would have covered the amount', () => {
    expect(describeRefusedCredit({ name: 'carol', shownNanoUsd: 5_000_000_000, amountNanoUsd: -5_000_000_000 })).toBe(
      'The balance of "carol" (5.000000000 USD) is partly leased by running servers, which reserve its requests from their share; only what is not leased can be taken. Leases return after 10 idle seconds: try again then.',
    );
  });

  it('says the balance cannot go below zero when even the shown balance is too small', () => {
    expect(describeRefusedCredit({ name: 'carol', shownNanoUsd: 5_000_000_000, amountNanoUsd: -5_000_000_001 })).toBe('The balance of "carol" (5.000000000 USD) cannot go below zero.');
  });
});

import { describe, expect, it } from 'vitest';
import { nextSpendPeriodStart, startOfSpendPeriod } from './spend-period.js';

const at = (iso: string) => Date.parse(iso);

describe('startOfSpendPeriod', () => {
  it('starts days at 00:00 UTC', () => {
    expect(startOfSpendPeriod('day', at('2026-11-25T23:59:59.999Z'))).toBe(at('2026-11-25T00:00:00Z'));
    expect(startOfSpendPeriod('day', at('2026-11-25T00:00:00Z'))).toBe(at('2026-11-25T00:00:00Z'));
  });

  it('starts weeks on Monday, across month and year ends', () => {
    // 2026-11-25 is a Wednesday; 2026-11-23 the Monday before.
    expect(startOfSpendPeriod('week', at('2026-11-25T12:00:00Z'))).toBe(at('2026-11-23T00:00:00Z'));
    // A Sunday belongs to the week that began six days before.
    expect(startOfSpendPeriod('week', at('2026-11-29T23:00:00Z'))).toBe(at('2026-11-23T00:00:00Z'));
    expect(startOfSpendPeriod('week', at('2026-11-30T00:00:00Z'))).toBe(at('2026-11-30T00:00:00Z'));
    // 2027-01-01 is a Friday: its week began on Monday 2026-12-28.
    expect(startOfSpendPeriod('week', at('2027-01-01T08:00:00Z'))).toBe(at('2026-12-28T00:00:00Z'));
  });

  it('starts months on the first, leap February included', () => {
    expect(startOfSpendPeriod('month', at('2028-02-29T18:00:00Z'))).toBe(at('2028-02-01T00:00:00Z'));
    expect(startOfSpendPeriod('month', at('2026-12-31T23:59:59Z'))).toBe(at('2026-12-01T00:00:00Z'));
  });
});

describe('nextSpendPeriodStart', () => {
  it('is the start of the following day, week or month', () => {
    expect(nextSpendPeriodStart('day', at('2026-12-31T13:00:00Z'))).toBe(at('2027-01-01T00:00:00Z'));
    expect(nextSpendPeriodStart('week', at('2026-11-25T13:00:00Z'))).toBe(at('2026-11-30T00:00:00Z'));
    expect(nextSpendPeriodStart('month', at('2026-12-15T13:00:00Z'))).toBe(at('2027-01-01T00:00:00Z'));
  });
});

/** The period a user's spending limit counts over, in UTC. */
export type SpendPeriod = 'day' | 'week' | 'month';

export const SPEND_PERIODS: readonly SpendPeriod[] = ['day', 'week', 'month'];

export function isSpendPeriod(value: unknown): value is SpendPeriod {
  return value === 'day' || value === 'week' || value === 'month';
}

/**
 * When the period containing `now` began, in epoch milliseconds (UTC): the
 * day at 00:00, the week on Monday at 00:00 (ISO weeks), the month on its
 * first at 00:00. Every instance computes the same instant, so the period
 * total in storage is shared without coordination.
 */
export function startOfSpendPeriod(period: SpendPeriod, now: number): number {
  const date = new Date(now);
  const year = date.getUTCFullYear();
  const month = date.getUTCMonth();
  const day = date.getUTCDate();
  if (period === 'month') return Date.UTC(year, month, 1);
  if (period === 'day') return Date.UTC(year, month, day);
  const daysSinceMonday = (date.getUTCDay() + 6) % 7;
  return Date.UTC(year, month, day - daysSinceMonday);
}

/** When the period after the one containing `now` begins (the moment a spending limit refills). */
export function nextSpendPeriodStart(period: SpendPeriod, now: number): number {
  const start = new Date(startOfSpendPeriod(period, now));
  if (period === 'month') return Date.UTC(start.getUTCFullYear(), start.getUTCMonth() + 1, 1);
  return start.getTime() + (period === 'day' ? 1 : 7) * 86_400_000;
}

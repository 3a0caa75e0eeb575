/** The longest delay Node's timers take: 2^31 − 1 ms, about 24.8 days. A longer one fires after 1 ms instead. */
export const LONGEST_TIMER_DELAY_MS = 2_147_483_647;

/** A timeout as a timer's delay: one longer than Node's timers take waits as long as they can, not 1 ms. */
export function clampTimerDelay(ms: number): number {
  return Math.min(ms, LONGEST_TIMER_DELAY_MS);
}

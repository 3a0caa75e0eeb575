import { adminErrors } from './admin-errors.js';

// RFC 3339 date-times (with a zone) and plain dates, which mean 00:00 UTC.
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/i;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

/**
 * An instant given as an RFC 3339 date-time (`2025-06-15T08:30:00Z`,
 * `…+02:00`) or a UTC date (`2025-06-15`) → epoch milliseconds. A time without
 * a zone is refused: guessing the server's zone would shift every boundary.
 */
export function parseInstant(options: { text: string; field: string }): number {
  const { text, field } = options;
  // Date.parse rolls 2025-02-30 over into March; a calendar date must exist as written.
  const valid = (DATE.test(text) || DATE_TIME.test(text)) && isCalendarDate(text.slice(0, 10));
  const ms = valid ? Date.parse(DATE.test(text) ? `${text}T00:00:00Z` : text) : Number.NaN;
  if (!Number.isSafeInteger(ms)) {
    throw adminErrors.invalid(field, `${JSON.stringify(text)} is not an RFC 3339 time with a zone (2025-06-15T08:30:00Z) or a date (2025-06-15)`);
  }
  return ms;
}

function isCalendarDate(date: string): boolean {
  const [year, month, day] = date.split('-').map(Number) as [number, number, number];
  const parsed = new Date(Date.UTC(year, month - 1, day));
  return parsed.getUTCFullYear() === year && parsed.getUTCMonth() === month - 1 && parsed.getUTCDate() === day;
}

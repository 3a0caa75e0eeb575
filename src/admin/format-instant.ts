/** Epoch milliseconds → RFC 3339 in UTC (`2025-06-15T08:30:00.000Z`); null stays null. */
export function formatInstant<T extends number | null>(ms: T): T extends number ? string : string | null {
  return (ms === null ? null : new Date(ms).toISOString()) as T extends number ? string : string | null;
}

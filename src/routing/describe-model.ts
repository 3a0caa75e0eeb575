/** What `GET /v1/models` says about one model id. */
export interface ModelDescription {
  id: string;
  displayName: string;
  /** RFC 3339. */
  createdAt: string;
}

const DATED = /-(\d{4})(\d{2})(\d{2})$/;

/**
 * Derives the listing fields from the id: `claude-sonnet-4-5-20250929` →
 * "Claude Sonnet 4.5", created 2025-09-29. Ids without a date suffix
 * (`claude-opus-4-8`, custom names) carry the time the channel began serving
 * them, the only honest date the gateway has.
 */
export function describeModel(options: { id: string; fallbackCreatedAt: number }): ModelDescription {
  const match = DATED.exec(options.id);
  // Only a real calendar date counts: `ft-run-12345678` ends in eight digits but no date.
  const dated = match && isCalendarDate(Number(match[1]), Number(match[2]), Number(match[3])) ? match : null;
  const createdAt = dated
    ? `${dated[1]}-${dated[2]}-${dated[3]}T00:00:00Z`
    : new Date(options.fallbackCreatedAt).toISOString().replace(/\.\d{3}Z$/, 'Z');
  const base = dated ? options.id.slice(0, dated.index) : options.id;
  const claude = /^claude-([a-z]+)-(\d+(?:-\d{1,2})*)$/.exec(base);
  const displayName = claude
    ? `Claude ${claude[1]!.charAt(0).toUpperCase()}${claude[1]!.slice(1)} ${claude[2]!.replaceAll('-', '.')}`
    : options.id;
  return { id: options.id, displayName, createdAt };
}

function isCalendarDate(year: number, month: number, day: number): boolean {
  const date = new Date(Date.UTC(year, month - 1, day));
  return year >= 2000 && date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

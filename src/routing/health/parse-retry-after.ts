/**
 * How long an upstream asked us to wait, in milliseconds, from its rate-limit
 * headers. `retry-after-ms` (OpenAI's and Anthropic's SDKs read it first, and
 * it is more precise) wins over `retry-after`, which is either delay-seconds
 * or an HTTP-date. A header that does not parse is skipped, so a garbage
 * `retry-after-ms` still lets a good `retry-after` through.
 *
 * Returns undefined when there is no usable value (absent, empty, negative,
 * not a number, not a date), so the caller can apply its own default.
 * Fractions are kept (`1.5` seconds is 1500 ms) and the result is rounded to
 * a whole millisecond. An HTTP-date in the past yields 0 — the upstream says
 * "you may retry now", which is information, not garbage (clock skew between
 * us and the upstream usually explains it).
 *
 * @see https://www.rfc-editor.org/rfc/rfc9110#section-10.2.3 (Retry-After)
 * @see https://www.rfc-editor.org/rfc/rfc9110#section-5.6.7 (HTTP-date forms)
 */
export function parseRetryAfter(options: {
  retryAfter?: string | string[];
  retryAfterMs?: string | string[];
  now?: () => number;
}): number | undefined {
  const milliseconds = parseNonNegativeNumber(firstValue(options.retryAfterMs));
  if (milliseconds !== undefined) return Math.round(milliseconds);

  const retryAfter = firstValue(options.retryAfter);
  if (retryAfter === undefined) return undefined;
  const seconds = parseNonNegativeNumber(retryAfter);
  if (seconds !== undefined) return Math.round(seconds * 1000);

  const date = parseHttpDate(retryAfter);
  if (date === undefined) return undefined;
  const now = (options.now ?? Date.now)();
  return Math.max(0, Math.round(date - now));
}

/** Node joins most repeated headers but hands some back as arrays; the first occurrence is the one the upstream meant. */
function firstValue(value: string | string[] | undefined): string | undefined {
  const first = Array.isArray(value) ? value[0] : value;
  const trimmed = first?.trim();
  return trimmed ? trimmed : undefined;
}

// Plain decimal only: `Number()` would also accept '', '0x10', '1e3' and 'Infinity'.
const DECIMAL = /^(?:\d+(?:\.\d*)?|\.\d+)$/;

function parseNonNegativeNumber(value: string | undefined): number | undefined {
  if (value === undefined || !DECIMAL.test(value)) return undefined;
  const parsed = Number(value);
  return Number.isFinite(parsed) ? parsed : undefined;
}

// V8's Date.parse is far too forgiving on its own ('-5' and '123' are years),
// so a date must at least start with a weekday name, as all three RFC forms do.
const LOOKS_LIKE_HTTP_DATE = /^(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)[a-z]*,?\s/i;
// asctime() carries no zone and V8 would read it as local time; HTTP-dates are always GMT.
const HAS_ZONE = /(?:\bGMT|\bUTC|\bZ|[+-]\d{2}:?\d{2})$/i;

function parseHttpDate(value: string): number | undefined {
  if (!LOOKS_LIKE_HTTP_DATE.test(value)) return undefined;
  const parsed = Date.parse(HAS_ZONE.test(value) ? value : `${value} GMT`);
  return Number.isNaN(parsed) ? undefined : parsed;
}

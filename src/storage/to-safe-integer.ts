/**
 * Converts an integer read from either dialect into a JavaScript number.
 *
 * better-sqlite3 returns numbers; `pg` returns BIGINT (int8) and aggregate
 * results as strings unless a type parser converted them. Rather than trusting
 * either, every integer the repositories hand out goes through here, and a
 * value that cannot be represented exactly throws instead of being rounded —
 * a wrong cost or timestamp is worse than a loud failure.
 */
export function toSafeInteger(value: unknown, what: string): number {
  let result: number;
  if (typeof value === 'number') {
    result = value;
  } else if (typeof value === 'bigint') {
    result = Number(value);
    if (BigInt(result) !== value) {
      throw new RangeError(`${what}: ${value} is outside the safe integer range`);
    }
  } else if (typeof value === 'string' && /^-?\d+$/.test(value)) {
    result = Number(value);
    if (!Number.isSafeInteger(result) || BigInt(value) !== BigInt(result)) {
      throw new RangeError(`${what}: ${value} is outside the safe integer range`);
    }
  } else {
    throw new TypeError(`${what}: expected an integer, got ${describe(value)}`);
  }
  if (!Number.isSafeInteger(result)) {
    throw new RangeError(`${what}: ${String(value)} is not a safe integer`);
  }
  return result;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value === 'string') return JSON.stringify(value);
  return `${typeof value} ${String(value)}`;
}

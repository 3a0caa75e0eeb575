import { describe, expect, it } from 'vitest';
import { createRequestId } from './create-request-id.js';

describe('createRequestId', () => {
  it('gives distinct req_mr ids of 24 base62 characters, across refills of its entropy pool', () => {
    const ids = new Set(Array.from({ length: 2_000 }, () => createRequestId()));
    expect(ids.size).toBe(2_000);
    for (const id of ids) expect(id).toMatch(/^req_mr[0-9A-Za-z]{24}$/);
  });

  it('starts with the time, so ids of later milliseconds sort after earlier ones as plain text', () => {
    const times = [0, 61, 62, 1_000, Date.UTC(2026, 10, 25), Date.UTC(2026, 10, 25) + 1, Date.UTC(2100, 0, 1), 62 ** 8 - 1];
    const ids = times.map((time) => createRequestId(time));
    expect(ids[0]!.slice(0, 14)).toBe('req_mr00000000');
    expect(ids[1]!.slice(0, 14)).toBe('req_mr0000000z');
    expect(ids[2]!.slice(0, 14)).toBe('req_mr00000010');
    expect(ids[7]!.slice(0, 14)).toBe('req_mrzzzzzzzz');
    expect([...ids].sort()).toEqual(ids);
    // Within one millisecond only the random part differs.
    const sameMs = [createRequestId(1_000), createRequestId(1_000)];
    expect(sameMs[0]!.slice(0, 14)).toBe(sameMs[1]!.slice(0, 14));
    expect(sameMs[0]).not.toBe(sameMs[1]);
  });
});

import { describe, expect, it } from 'vitest';
import { createRequestId } from './create-request-id.js';

describe('createRequestId', () => {
  it('gives distinct req_mr ids of 24 base62 characters, across refills of its entropy pool', () => {
    const ids = new Set(Array.from({ length: 2_000 }, () => createRequestId()));
    expect(ids.size).toBe(2_000);
    for (const id of ids) expect(id).toMatch(/^req_mr[0-9A-Za-z]{24}$/);
  });
});

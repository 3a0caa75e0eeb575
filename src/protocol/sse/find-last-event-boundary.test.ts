import { describe, expect, it } from 'vitest';
import { findLastEventBoundary } from './find-last-event-boundary.js';

const at = (text: string) => findLastEventBoundary(Buffer.from(text));

describe('findLastEventBoundary', () => {
  it('finds the end of the last complete event for every line-ending style', () => {
    expect(at('event: a\ndata: 1\n\n')).toBe(18);
    expect(at('event: a\r\ndata: 1\r\n\r\n')).toBe(21);
    expect(at('data: 1\r\rdata: 2')).toBe(9);
    expect(at('data: 1\n\ndata: 2\n\ndata: 3')).toBe(18);
  });

  it('reports 0 when no event is complete', () => {
    expect(at('')).toBe(0);
    expect(at('\n')).toBe(0);
    expect(at('data: 1\n')).toBe(0);
    expect(at('data: 1\r\n')).toBe(0);
    expect(at('event: a\ndata: {"x":')).toBe(0);
  });

  it('treats a blank line at the very start as completing what came before it', () => {
    expect(at('\n\n')).toBe(2);
    expect(at('\ndata: 1')).toBe(0);
  });
});

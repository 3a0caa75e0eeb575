import { describe, expect, it } from 'vitest';
import { describeModel } from './describe-model.js';

/** 2026-01-15T12:30:45.678Z: milliseconds are dropped in the listing. */
const SERVED_SINCE = Date.UTC(2026, 0, 15, 12, 30, 45, 678);

function describe_(id: string) {
  return describeModel({ id, fallbackCreatedAt: SERVED_SINCE });
}

describe('describeModel', () => {
  it('takes name and date from a dated Claude id', () => {
    expect(describe_('claude-sonnet-4-5-20250929')).toEqual({
      id: 'claude-sonnet-4-5-20250929',
      displayName: 'Claude Sonnet 4.5',
      createdAt: '2025-09-29T00:00:00Z',
    });
    expect(describe_('claude-opus-4-20250514')).toEqual({
      id: 'claude-opus-4-20250514',
      displayName: 'Claude Opus 4',
      createdAt: '2025-05-14T00:00:00Z',
    });
    expect(describe_('claude-haiku-4-5-20251001').displayName).toBe('Claude Haiku 4.5');
  });

  it('gives an undated Claude id its name and the time the channel began serving it, to the second', () => {
    expect(describe_('claude-opus-4-8')).toEqual({
      id: 'claude-opus-4-8',
      displayName: 'Claude Opus 4.8',
      createdAt: '2026-01-15T12:30:45Z',
    });
    expect(describe_('claude-sonnet-5').displayName).toBe('Claude Sonnet 5');
  });

  it('shows names it cannot parse as they are', () => {
    expect(describe_('my-team-model')).toEqual({ id: 'my-team-model', displayName: 'my-team-model', createdAt: '2026-01-15T12:30:45Z' });
    expect(describe_('claude-opus-4-8[1m]').displayName).toBe('claude-opus-4-8[1m]');
    // Old-style ids put the version before the family: no guessed name, but the date is read.
    expect(describe_('claude-3-5-sonnet-20241022')).toMatchObject({
      displayName: 'claude-3-5-sonnet-20241022',
      createdAt: '2024-10-22T00:00:00Z',
    });
    // A version part longer than two digits is not a Claude version.
    expect(describe_('claude-opus-4-123').displayName).toBe('claude-opus-4-123');
  });

  describe('bad input', () => {
    // BUG (minor): any id ending in `-` and eight digits is taken as dated, so a custom
    // name like `ft-run-12345678` is listed with created_at "1234-56-78T00:00:00Z", which
    // is not an RFC 3339 date. Proposed fix: accept the suffix only when month is 01–12
    // and the day exists in that month (e.g. round-trip through Date.UTC), else use the
    // fallback time.
    it('does not invent an impossible date from eight trailing digits', () => {
      expect(describe_('ft-run-12345678').createdAt).toBe('2026-01-15T12:30:45Z');
    });
  });
});

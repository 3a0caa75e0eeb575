/**
 * Claude model ids a wildcard channel (`claude-*`) is listed with on
 * `GET /v1/models`: a wildcard cannot be enumerated, so the listing shows the
 * known ids it matches. Routing does not depend on this list: any name a
 * channel's patterns match is served. Names come from Anthropic's model pages
 * and from what Claude Code 2.1.197 sends (`claude-opus-4-8`, `claude-sonnet-5`,
 * `claude-haiku-4-5-20251001`); operators list anything else explicitly.
 */
export const KNOWN_CLAUDE_MODELS: readonly string[] = [
  'claude-opus-4-8',
  'claude-sonnet-5',
  'claude-opus-4-6',
  'claude-sonnet-4-6',
  'claude-opus-4-5-20251101',
  'claude-haiku-4-5-20251001',
  'claude-sonnet-4-5-20250929',
  'claude-opus-4-1-20250805',
  'claude-opus-4-20250514',
  'claude-sonnet-4-20250514',
];

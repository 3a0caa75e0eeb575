/**
 * The conversation a request belongs to, for the ledger (and later for
 * session affinity): Claude Code's `x-claude-code-session-id` header, else the
 * session inside `metadata.user_id`, which Claude Code sends either as a JSON
 * string `{"device_id":…,"session_id":…}` or, in older builds, as
 * `user_<hex>_account_<uuid>_session_<uuid>`.
 * @see ../../../shared/protocol/claude-code-traffic.md §3
 */
export function resolveSessionId(options: { header: string | undefined; metadataUserId: unknown }): string | undefined {
  if (options.header) return options.header.slice(0, 200);
  const userId = options.metadataUserId;
  if (typeof userId !== 'string' || userId.length === 0) return undefined;
  if (userId.startsWith('{')) {
    try {
      const parsed = JSON.parse(userId) as { session_id?: unknown };
      if (typeof parsed.session_id === 'string' && parsed.session_id) return parsed.session_id.slice(0, 200);
    } catch {
      return undefined;
    }
    return undefined;
  }
  const legacy = /_session_([A-Za-z0-9-]+)$/.exec(userId);
  return legacy?.[1]?.slice(0, 200);
}

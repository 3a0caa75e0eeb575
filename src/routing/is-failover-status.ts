/**
 * Upstream answers that move a request to the next target, when nothing has
 * reached the client yet: rate limits (429), server failures (500, 502, 503,
 * 504, Anthropic's 529 overload), and 401/403, which are about the channel's
 * credential, never the client's (mixroute checked the client's key itself).
 * Every other status (400, 404, 413…) is about the request and comes back as
 * it is: another upstream would refuse it too.
 */
const FAILOVER_STATUSES = new Set([401, 403, 429, 500, 502, 503, 504, 529]);

export function isFailoverStatus(status: number): boolean {
  return FAILOVER_STATUSES.has(status);
}

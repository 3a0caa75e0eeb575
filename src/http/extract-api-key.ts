import type { IncomingHttpHeaders } from 'node:http';

/**
 * The client's key: `x-api-key` (Anthropic SDKs with an API key, Claude Code
 * with ANTHROPIC_API_KEY) or `Authorization: Bearer` (SDK 1.x, auth tokens,
 * the OpenAI SDK). When both come (Claude Code's apiKeyHelper sends the same
 * value in both), `x-api-key` wins.
 */
export function extractApiKey(headers: IncomingHttpHeaders): string | undefined {
  const apiKey = headers['x-api-key'];
  if (typeof apiKey === 'string' && apiKey.trim()) return apiKey.trim();
  const authorization = headers.authorization;
  if (typeof authorization === 'string') {
    const match = /^Bearer\s+(.+)$/i.exec(authorization.trim());
    if (match) return match[1]!.trim();
  }
  return undefined;
}

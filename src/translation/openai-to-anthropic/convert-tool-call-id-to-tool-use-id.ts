import { createHash } from 'node:crypto';

const VALID_TOOL_USE_ID = /^[a-zA-Z0-9_-]+$/;
const INVALID_CHARACTERS = /[^a-zA-Z0-9_-]/g;

/**
 * Turns a tool-call id from an OpenAI-compatible source into one Anthropic
 * accepts. Anthropic rejects `tool_use.id` / `tool_result.tool_use_id` outside
 * `^[a-zA-Z0-9_-]+$` with a 400, and other servers' ids break it (Kimi:
 * `functions.Bash:0`).
 *
 * Valid ids pass unchanged. Others get their invalid characters replaced and
 * a hash of the original appended, so the mapping is a pure function (the
 * same id in a `tool_calls` entry and in the matching `tool` message's
 * `tool_call_id` always agree, across requests too) and two ids that differ
 * only in invalid characters (`a.b`, `a:b`) stay apart.
 * @see ../../../../shared/protocol/anthropic-protocol.md §1.2
 */
export function convertToolCallIdToToolUseId(id: string): string {
  if (VALID_TOOL_USE_ID.test(id)) return id;
  const hash = createHash('sha256').update(id, 'utf8').digest('hex').slice(0, 8);
  return `${id.replace(INVALID_CHARACTERS, '_')}_${hash}`;
}

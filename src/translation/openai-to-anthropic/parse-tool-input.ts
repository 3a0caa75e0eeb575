function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Tool-call arguments (JSON text from an OpenAI-compatible upstream) as the
 * `input` object Anthropic promises. Invalid or non-object JSON becomes `{}`,
 * as LiteLLM does: the client can still answer the call, and nothing better
 * could be done with the text.
 * @see ../../../../shared/protocol/anthropic-protocol.md §7.3
 */
export function parseToolInput(text: string | undefined): Record<string, unknown> {
  if (text === undefined || text.trim() === '') return {};
  try {
    const parsed: unknown = JSON.parse(text);
    return isRecord(parsed) ? parsed : {};
  } catch {
    return {};
  }
}

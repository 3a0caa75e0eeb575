/**
 * A `msg_` id derived from an OpenAI-compatible upstream's completion id
 * (`chatcmpl-…`, a UUID, …), so the same completion always gets the same id
 * and logs can be matched across the two protocols.
 */
export function convertCompletionIdToMessageId(id: unknown): string {
  const safe = typeof id === 'string' ? id.replace(/[^a-zA-Z0-9_-]/g, '') : '';
  if (safe.startsWith('msg_')) return safe;
  return `msg_${safe === '' ? 'openai' : safe}`;
}

/**
 * Thinking blocks mixroute made from an OpenAI-compatible upstream's reasoning
 * carry an empty signature. JSON.stringify writes it without spaces, Python's
 * json.dumps with one; two Buffer searches are far cheaper than decoding every
 * request body to look for either (the markers are Buffers: a string would be
 * converted again for every search).
 */
const SIGNATURE_KEY = Buffer.from('"signature":');
const UNSIGNED_MARKERS = [Buffer.from('"signature":""'), Buffer.from('"signature": ""')];

/**
 * Removes unsigned thinking from the history of a request bound for an
 * Anthropic upstream. Thinking translated from `reasoning_content` has no
 * Anthropic signature (it is marked by `signature: ""`); replayed to Anthropic
 * it would be rejected (400 invalid signature). Anthropic's own thinking is
 * always signed, also when its text is omitted, so it is never touched.
 * An assistant turn left with no content is dropped (Anthropic merges the
 * user turns around it). Returns undefined when there is nothing to strip,
 * which a byte search decides without parsing, so ordinary requests pass
 * through untouched.
 */
export function stripUnsignedThinking(body: Buffer): Buffer | undefined {
  // Most bodies carry no signature at all: one search settles those.
  if (!body.includes(SIGNATURE_KEY) || !UNSIGNED_MARKERS.some((marker) => body.includes(marker))) return undefined;
  let request: { messages?: Array<{ role?: string; content?: unknown }> };
  try {
    request = JSON.parse(body.toString('utf8')) as typeof request;
  } catch {
    return undefined;
  }
  if (!Array.isArray(request.messages)) return undefined;
  let changed = false;
  const messages = [];
  for (const message of request.messages) {
    if (message?.role !== 'assistant' || !Array.isArray(message.content)) {
      messages.push(message);
      continue;
    }
    const content = (message.content as Array<{ type?: string; signature?: unknown }>).filter((block) => {
      const unsigned = block?.type === 'thinking' && block.signature === '';
      if (unsigned) changed = true;
      return !unsigned;
    });
    if (content.length > 0) messages.push(content.length === message.content.length ? message : { ...message, content });
  }
  if (!changed) return undefined;
  return Buffer.from(JSON.stringify({ ...request, messages }));
}

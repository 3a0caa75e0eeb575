/**
 * The request with every thinking and redacted_thinking block removed from its
 * history: the fallback when an upstream rejects a thinking signature it cannot
 * verify (the conversation's earlier turns were signed by another account or
 * provider). If thinking is on and the last assistant turn lost its thinking,
 * thinking is turned off for this request: Anthropic requires a tool-use turn
 * to open with the thinking that produced it, which can no longer be sent.
 * Returns undefined when the history holds no thinking (nothing to retry).
 */
export function stripAllThinking(body: Buffer): Buffer | undefined {
  let request: { thinking?: { type?: string }; messages?: Array<{ role?: string; content?: unknown }>; [field: string]: unknown };
  try {
    request = JSON.parse(body.toString('utf8')) as typeof request;
  } catch {
    return undefined;
  }
  if (!Array.isArray(request.messages)) return undefined;
  let removed = false;
  let lastAssistantLostThinking = false;
  const messages = [];
  for (const message of request.messages) {
    if (message?.role !== 'assistant' || !Array.isArray(message.content)) {
      messages.push(message);
      continue;
    }
    const blocks = message.content as Array<{ type?: string }>;
    const kept = blocks.filter((block) => block?.type !== 'thinking' && block?.type !== 'redacted_thinking');
    const lost = kept.length !== blocks.length;
    removed ||= lost;
    lastAssistantLostThinking = lost;
    if (kept.length > 0) messages.push(lost ? { ...message, content: kept } : message);
  }
  if (!removed) return undefined;
  const thinkingOn = request.thinking?.type === 'enabled' || request.thinking?.type === 'adaptive';
  return Buffer.from(JSON.stringify({ ...request, messages, ...(thinkingOn && lastAssistantLostThinking ? { thinking: { type: 'disabled' } } : {}) }));
}

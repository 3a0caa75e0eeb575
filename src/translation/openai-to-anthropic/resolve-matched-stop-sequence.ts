/**
 * The stop sequence an OpenAI-compatible server says it stopped on, if it
 * says so. OpenAI itself never does (it strips the match and reports only
 * `finish_reason: "stop"`), but vLLM puts the matched string in the choice's
 * `stop_reason` and SGLang in `matched_stop`. Only a value that is one of the
 * client's own `stop_sequences` counts: vLLM also reports stop token ids
 * there, and an Anthropic client expects `stop_sequence` to be one of its own.
 * @see ../../../../shared/protocol/anthropic-protocol.md §7.3
 */
export function resolveMatchedStopSequence(options: {
  choice: Record<string, unknown> | undefined;
  stopSequences: readonly string[] | undefined;
}): string | undefined {
  const { choice, stopSequences } = options;
  if (choice === undefined || stopSequences === undefined || stopSequences.length === 0) return undefined;
  for (const field of ['stop_reason', 'matched_stop']) {
    const value = choice[field];
    if (typeof value === 'string' && stopSequences.includes(value)) return value;
  }
  return undefined;
}

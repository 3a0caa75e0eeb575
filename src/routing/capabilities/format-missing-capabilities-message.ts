/** `a`, `a and b`, `a, b and c`. */
function joinAsList(items: readonly string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

/**
 * The message of the 400 sent when no channel serving the model can serve
 * the request, naming per channel what it lacks, so the client (or the
 * operator reading the client's report) knows whether to change the request
 * or the configuration: "No channel serving claude-x can handle this
 * request: channel a lacks images; channel b lacks thinking and server tool
 * web_search." Channels that lack nothing are left out.
 */
export function formatMissingCapabilitiesMessage(options: {
  model: string;
  missingByChannel: ReadonlyArray<{ channel: string; missing: readonly string[] }>;
}): string {
  const lead = `No channel serving ${options.model} can handle this request`;
  const reasons = options.missingByChannel
    .filter(({ missing }) => missing.length > 0)
    .map(({ channel, missing }) => `channel ${channel} lacks ${joinAsList(missing)}`);
  return reasons.length === 0 ? `${lead}.` : `${lead}: ${reasons.join('; ')}.`;
}

/**
 * Token usage of one request, normalized from whatever the upstream reported.
 * `inputTokens` is uncached input only, as Anthropic reports it: total input is
 * inputTokens + cacheWrite5mTokens + cacheWrite1hTokens + cacheReadTokens.
 */
export interface Usage {
  inputTokens: number;
  outputTokens: number;
  /** Prompt-cache writes with the default five-minute TTL. */
  cacheWrite5mTokens: number;
  /** Prompt-cache writes with the one-hour TTL (billed higher). */
  cacheWrite1hTokens: number;
  cacheReadTokens: number;
  webSearchRequests: number;
  webFetchRequests: number;
}

export function createEmptyUsage(): Usage {
  return {
    inputTokens: 0,
    outputTokens: 0,
    cacheWrite5mTokens: 0,
    cacheWrite1hTokens: 0,
    cacheReadTokens: 0,
    webSearchRequests: 0,
    webFetchRequests: 0,
  };
}

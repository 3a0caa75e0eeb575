/**
 * What a request needs from the channel that serves it (issue 4 §4). Routing
 * compares it with each candidate's {@link ChannelCapabilities} so a request
 * is only sent where it can be served, and the client gets a 400 naming the
 * missing feature instead of an upstream's opaque rejection.
 *
 * Built by `resolveAnthropicRequestNeeds` or `resolveOpenAIRequestNeeds`,
 * depending on the client's dialect.
 */
export interface RequestNeeds {
  /** The client asked the model to think (not merely: the history holds thinking blocks). */
  thinking: boolean;
  /** Client-run tools are declared, or the history holds tool calls and results. */
  tools: boolean;
  /** An image appears somewhere, tool results and documents included. */
  images: boolean;
  /** A document (PDF, plain text, …) appears somewhere, tool results included. */
  documents: boolean;
  /**
   * Anthropic-defined tools by family, without their date version:
   * `web_search`, `web_fetch`, `code_execution`, `bash`, `text_editor`,
   * `computer`, `memory`, `tool_search`, `mcp`, or any newer name. Unique, in
   * order of first appearance.
   */
  serverTools: string[];
  /** `anthropic-beta` values as the client spelled them: split on commas, trimmed, empty and repeated ones dropped. */
  betas: string[];
}

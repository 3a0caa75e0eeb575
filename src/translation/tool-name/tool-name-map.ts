/**
 * A two-way mapping between the tool names a client uses and the names sent
 * to an upstream with stricter rules, built for one request.
 */
export interface ToolNameMap {
  /** The name to send upstream for a client's tool name. */
  toUpstream(clientName: string): string;
  /**
   * The client's name for a name the upstream used. A name the map never
   * produced (the upstream invented it) comes back unchanged.
   */
  toClient(upstreamName: string): string;
}

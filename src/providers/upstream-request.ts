/** An HTTP request ready for an upstream's pool. */
export interface UpstreamRequest {
  origin: string;
  /** Path and query on the origin. */
  path: string;
  /** Flat name/value list, in order. */
  headers: string[];
  body: Buffer;
}

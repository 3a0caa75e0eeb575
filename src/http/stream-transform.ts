/**
 * Turns an upstream's stream bytes into the client's, chunk by chunk. The
 * same-protocol transform forwards whole events unchanged; translating ones
 * re-encode events in the client's protocol.
 */
export interface StreamTransform {
  push(chunk: Buffer): Buffer | undefined;
  /** The upstream ended normally: whatever is still owed to the client. */
  end(): Buffer | undefined;
  /** The upstream broke off: the client's protocol's way of saying so. */
  fail(message: string): Buffer;
}

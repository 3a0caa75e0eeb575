import type { UsageReading } from '../metering/usage-reader.js';
/**
 * Turns an upstream's stream bytes into the client's, chunk by chunk. The
 * same-protocol transform forwards whole events unchanged; translating ones
 * re-encode events in the client's protocol.
 */
export interface StreamTransform {
  /**
   * What goes to the client for this chunk: bytes, several pieces to be sent
   * in order (so that bytes held from earlier chunks need not be copied
   * together with this one), or nothing yet.
   */
  push(chunk: Buffer): Buffer | Buffer[] | undefined;
  /** The upstream ended normally: whatever is still owed to the client. */
  end(): Buffer | undefined;
  /** The upstream broke off: the client's protocol's way of saying so. */
  fail(message: string): Buffer;
  /**
   * The upstream's usage, when the transform reads every event anyway (a
   * translation): the relay then needs no separate usage tap parsing the
   * stream a second time.
   */
  reading?: () => UsageReading;
}

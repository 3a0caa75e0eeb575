import { findLastEventBoundary } from '../protocol/sse/find-last-event-boundary.js';
import type { ClientDialect } from './client-dialect.js';
import { encodeStreamError } from './encode-stream-error.js';
import type { StreamTransform } from './stream-transform.js';

/** An event this large without an end is not a stream any client could read: the upstream is broken. */
const MAX_HELD_BYTES = 16 * 1024 * 1024;
/** A blank line is at most four bytes (`\r\n\r\n`); this much of what is held can complete one with a new chunk. */
const JUNCTION = 3;

/**
 * The same-protocol stream: bytes pass unchanged, but only up to the last
 * complete event, so when the upstream dies mid-event the client never gets
 * half an event glued to the error event that reports the failure.
 *
 * Only each new chunk is searched, from its end, where events usually end, so
 * the common path costs a byte or two and a long event split into many chunks
 * is not rescanned for each one. A blank line found in the chunk is found
 * exactly as in the whole stream: one ending two or more bytes into the chunk
 * is made of the chunk's own bytes. Only when the chunk has none are the few
 * held bytes that could complete one with its first bytes searched too. What
 * was held goes out with the chunk's head as separate pieces: neither is
 * copied (a 64 KB read would otherwise be copied whenever an event spans two).
 */
export function createWholeEventStream(options: { dialect: ClientDialect; requestId: string }): StreamTransform {
  let held: Buffer[] = [];
  let heldLength = 0;
  return {
    push(chunk) {
      if (heldLength === 0) {
        const boundary = findLastEventBoundary(chunk);
        if (boundary === chunk.length) return chunk;
        if (boundary > 0) {
          held = [chunk.subarray(boundary)];
          heldLength = chunk.length - boundary;
          return chunk.subarray(0, boundary);
        }
        held = [chunk];
        heldLength = chunk.length;
        return undefined;
      }
      let cut = findLastEventBoundary(chunk);
      if (cut === 0) {
        const last = held[held.length - 1]!;
        const tail = last.subarray(Math.max(0, last.length - JUNCTION));
        // A blank line ending in the chunk's first two bytes may begin in what is held.
        const junction = findLastEventBoundary(Buffer.concat([tail, chunk.subarray(0, JUNCTION)]));
        if (junction <= tail.length) {
          held.push(chunk);
          heldLength += chunk.length;
          if (heldLength > MAX_HELD_BYTES) throw new Error(`an event of more than ${MAX_HELD_BYTES} bytes without an end`);
          return undefined;
        }
        cut = junction - tail.length;
      }
      const out = held;
      out.push(chunk.subarray(0, cut));
      held = cut < chunk.length ? [chunk.subarray(cut)] : [];
      heldLength = chunk.length - cut;
      return out;
    },
    end() {
      const rest = heldLength > 0 ? Buffer.concat(held, heldLength) : undefined;
      held = [];
      heldLength = 0;
      return rest;
    },
    fail(message) {
      held = [];
      heldLength = 0;
      return encodeStreamError({ dialect: options.dialect, type: 'api_error', message, requestId: options.requestId });
    },
  };
}

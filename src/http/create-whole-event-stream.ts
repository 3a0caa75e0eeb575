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
 * Only each new chunk (plus the few held bytes that could complete a blank
 * line with it) is searched, from its end, where events usually end, so the
 * common path costs a byte or two and a long event split into many chunks is
 * not rescanned for each one. Held bytes are joined once, when their event ends.
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
      const last = held[held.length - 1]!;
      const tail = last.subarray(Math.max(0, last.length - JUNCTION));
      const window = Buffer.concat([tail, chunk]);
      const boundary = findLastEventBoundary(window);
      if (boundary === 0) {
        held.push(chunk);
        heldLength += chunk.length;
        if (heldLength > MAX_HELD_BYTES) throw new Error(`an event of more than ${MAX_HELD_BYTES} bytes without an end`);
        return undefined;
      }
      const combined = Buffer.concat([...held, chunk], heldLength + chunk.length);
      const cut = heldLength - tail.length + boundary;
      held = cut < combined.length ? [combined.subarray(cut)] : [];
      heldLength = combined.length - cut;
      return combined.subarray(0, cut);
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

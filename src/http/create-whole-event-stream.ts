import { findLastEventBoundary } from '../protocol/sse/find-last-event-boundary.js';
import type { ClientDialect } from './client-dialect.js';
import { encodeStreamError } from './encode-stream-error.js';
import type { StreamTransform } from './stream-transform.js';

/**
 * The same-protocol stream: bytes pass unchanged, but only up to the last
 * complete event, so when the upstream dies mid-event the client never gets
 * half an event glued to the error event that reports the failure. The
 * boundary search starts from the end of the chunk, where events usually end,
 * so the common path costs a byte or two.
 */
export function createWholeEventStream(options: { dialect: ClientDialect; requestId: string }): StreamTransform {
  let held: Buffer | undefined;
  return {
    push(chunk) {
      const bytes = held ? Buffer.concat([held, chunk]) : chunk;
      const boundary = findLastEventBoundary(bytes);
      held = boundary < bytes.length ? bytes.subarray(boundary) : undefined;
      if (boundary === 0) return undefined;
      return boundary === bytes.length ? bytes : bytes.subarray(0, boundary);
    },
    end() {
      const rest = held;
      held = undefined;
      return rest;
    },
    fail(message) {
      held = undefined;
      return encodeStreamError({ dialect: options.dialect, type: 'api_error', message, requestId: options.requestId });
    },
  };
}

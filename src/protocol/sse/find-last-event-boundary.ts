const LF = 0x0a;
const CR = 0x0d;

/**
 * Where the last complete SSE event in `bytes` ends: the index just after the
 * last blank line (a line ending directly after another), or 0 when no event
 * is complete. The relay forwards whole events only, so when an upstream dies
 * mid-event the client never receives half an event glued to the error event
 * that reports the failure. Scans backwards: an event usually ends at the end
 * of the chunk, which makes this O(1) on the common path.
 */
export function findLastEventBoundary(bytes: Uint8Array): number {
  for (let index = bytes.length - 1; index > 0; index--) {
    const byte = bytes[index];
    if (byte !== LF && byte !== CR) continue;
    // The line ending that finishes at `index` starts at `start` (CRLF is one ending).
    const start = byte === LF && bytes[index - 1] === CR ? index - 1 : index;
    const before = bytes[start - 1];
    if (start > 0 && (before === LF || before === CR)) return index + 1;
  }
  return 0;
}

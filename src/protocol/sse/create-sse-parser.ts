import { Buffer } from 'node:buffer';
import type { SseEvent } from './sse-event.js';

export interface SseParser {
  /** Feeds the next bytes of the stream; returns the events they completed. */
  push(chunk: Uint8Array): SseEvent[];
  /**
   * With `only`: how many events of other types (or none) were completed and not returned; events
   * passed unread under `needle` are not counted.
   */
  readonly skipped: number;
  /**
   * Marks the end of the stream. Always returns no events: the spec discards
   * an event that was not terminated by a blank line, and an unterminated last
   * line is not a line at all. It returns an array anyway so callers can treat
   * both calls alike. Resets the parser.
   */
  end(): SseEvent[];
}

const LF = 0x0a;
const CR = 0x0d;
const COLON = 0x3a;
const SPACE = 0x20;
const DATA_START = 0x64;
const EVENT_START = 0x65;

/** Lines this long or longer are rare; don't keep their buffer for the rest of the stream. */
const MAX_RETAINED_CARRY_BYTES = 64 * 1024;
const INITIAL_CARRY_BYTES = 256;
/** Event names remembered per stream; a stream naming more decodes the rest each time. */
const MAX_INTERNED_EVENT_TYPES = 16;
const BLANK_LINE = Buffer.from('\n\n');
/**
 * A run is looked for only in a rest of chunk at least this long: two native searches cost about
 * what reading two or three events in one step each does (a paced stream's chunks hold one event).
 */
const MIN_RUN_BYTES = 512;

export interface SseParserOptions {
  /** Only events of these types are returned; the others, unnamed events included, are counted (`skipped`). */
  only?: ReadonlySet<string> | undefined;
  /**
   * The caller needs an event only when its bytes contain this text (ASCII, without CR or LF).
   * Between events, a run of whole events in which it does not occur is then passed unread: one
   * native search for it finds where the run ends, and one for the last blank line before that. A
   * usage tap reading message_* and error events names `message`, in every message_* name and in
   * the body of every error it records; a stream's content deltas almost never hold the word.
   * Such runs are not counted in `skipped`, and their `id:` lines are not applied, so with a
   * needle events are returned without `id`.
   */
  needle?: string | undefined;
}

/**
 * Incremental parser for `text/event-stream`, following the WHATWG HTML
 * "event stream interpretation" rules.
 *
 * It works on bytes so that it never re-scans or re-decodes what it has seen:
 * line terminators (CR, LF) and the field separator (':') are ASCII and can
 * never occur inside a multi-byte UTF-8 sequence, so splitting on bytes first
 * and decoding each complete line's value afterwards is exactly equivalent to
 * decoding the whole stream and then splitting — including for characters
 * split across chunks, which simply wait in the carry-over buffer with the
 * rest of their line. Only the incomplete last line of a chunk is copied.
 *
 * Bytes are handled as Node Buffers (zero-copy views of the chunks) because on
 * Node 20 Buffer#indexOf is a memchr, about four times faster than
 * Uint8Array#indexOf, and Buffer#toString decodes a range without allocating
 * a view first. Both decode like the WHATWG UTF-8 decoder: invalid sequences
 * become U+FFFD, and a U+FEFF inside a line is kept (only the one at the very
 * start of the stream is dropped, by hand below).
 *
 * An event of exactly one `data:` line, after one `event:` line or not,
 * LF-terminated and followed by a LF blank line inside the chunk (the events
 * of Chat Completions and Messages streams, but for a stream's first line and
 * an event cut by a chunk's end), is read in one step rather than line by
 * line. Anything else is read line by line, where a data line is decoded
 * whatever the name so far: a later `event:` line of the same event may
 * rename it.
 *
 * A caller that needs only some event types names them (`only`): the others,
 * unnamed events included, are counted (`skipped`) but not returned. Most of a
 * Messages stream is content_block_delta events a usage tap never reads: taken
 * in one step, such an event's data is never decoded. With a `needle` as well,
 * whole runs of events without it are passed at once.
 */
export function createSseParser(options: SseParserOptions = {}): SseParser {
  const only = options.only;
  const needle = options.needle === undefined ? undefined : needleBytes(options.needle);
  // Bytes of the incomplete line carried over from earlier chunks.
  // Allocated on first use: many streams' chunks end exactly at line ends.
  let carry: Buffer | undefined;
  let carryLength = 0;
  // The previous chunk ended in CR: a LF starting the next chunk belongs to
  // that same CRLF line end and must not end a second (empty) line.
  let skipLeadingLf = false;
  let atStreamStart = true;

  // The event being assembled. `data` stays undefined until a data line is
  // seen, which is how "dispatch only if it has data" is decided: a lone
  // `data:` line makes an event with empty data, per the spec.
  let eventType = '';
  let data: string | undefined;
  let lastEventId = '';

  // A stream names few event types, each many times: each name's bytes are decoded once and the
  // string reused (a content_block_delta stream would otherwise decode one name per delta).
  const eventTypes: Array<{ bytes: Buffer; name: string }> = [];

  function internEventType(bytes: Buffer, from: number, to: number): string {
    const length = to - from;
    for (let index = 0; index < eventTypes.length; index++) {
      const known = eventTypes[index]!.bytes;
      if (known.length === length && matchesAt(bytes, from, known)) return eventTypes[index]!.name;
    }
    const name = bytes.toString('utf8', from, to);
    if (eventTypes.length < MAX_INTERNED_EVENT_TYPES) {
      eventTypes.push({ bytes: Buffer.from(bytes.subarray(from, to)), name });
    }
    return name;
  }

  /**
   * At the start of an event (nothing of it seen yet), an event of one `data:` line, alone or after one
   * `event:` line, then a blank line, all LF-terminated inside this chunk with no CR before the blank
   * line's LF, read in one step: the line-by-line path would give the same event, and the name and data
   * are decoded the same way. With `only`, an event of another type is counted and its data not decoded.
   * Returns the position after the blank line; -1 when the bytes are anything
   * else, and the line-by-line path reads them. `lineEnd` is the chunk's first LF at or after `from`,
   * `nextCr` its first CR (-1: none).
   */
  function readWholeEvent(chunk: Buffer, from: number, lineEnd: number, nextCr: number, events: SseEvent[]): number {
    let dataLine = from;
    let dataEnd = lineEnd;
    let name = '';
    if (chunk[from] === EVENT_START) {
      if (!isEventField(chunk, from) || chunk[from + 5] !== COLON) return -1;
      dataLine = lineEnd + 1;
      if (chunk[dataLine] !== DATA_START) return -1;
      dataEnd = chunk.indexOf(LF, dataLine);
      if (dataEnd === -1) return -1;
      const nameStart = chunk[from + 6] === SPACE ? from + 7 : from + 6;
      // Checked before the name is interned: the name line of an event this path does not take must not be decoded twice.
      if (chunk[dataEnd + 1] !== LF || (nextCr !== -1 && nextCr <= dataEnd + 1) || !isDataField(chunk, dataLine) || chunk[dataLine + 4] !== COLON) return -1;
      name = internEventType(chunk, nameStart, lineEnd);
    } else if (chunk[from] !== DATA_START || chunk[dataEnd + 1] !== LF || (nextCr !== -1 && nextCr <= dataEnd + 1) || !isDataField(chunk, from) || chunk[from + 4] !== COLON) {
      return -1;
    }
    if (only !== undefined && !only.has(name)) {
      // Not returned (unnamed events included): counted, its data never decoded.
      parser.skipped++;
      return dataEnd + 2;
    }
    const valueStart = chunk[dataLine + 5] === SPACE ? dataLine + 6 : dataLine + 5;
    eventType = name;
    data = chunk.toString('utf8', valueStart, dataEnd);
    dispatch(events);
    return dataEnd + 2;
  }

  /**
   * With `needle`, at the start of an event: the position after the last LF LF before the chunk's
   * next needle (or its end), when there is one after `from`; otherwise `from`. Two LFs end an
   * event whatever the stream's line ends: the first ends a line (alone or as the end of a CRLF),
   * and the second, not preceded by a CR, ends an empty line. So the bytes passed are whole events,
   * none holding the needle (it has no line end, so it cannot span one), and the caller needs none
   * of them. `nextNeedle` is the chunk's first needle at or after `from` (-1: none).
   */
  function passRunWithoutNeedle(chunk: Buffer, from: number, length: number, nextNeedle: number): number {
    const limit = nextNeedle === -1 ? length : nextNeedle;
    if (limit - from < 2) return from;
    const blank = chunk.lastIndexOf(BLANK_LINE, limit - 2);
    return blank >= from ? blank + 2 : from;
  }

  function reset(): void {
    if (carry !== undefined && carry.length > MAX_RETAINED_CARRY_BYTES) carry = undefined;
    carryLength = 0;
    skipLeadingLf = false;
    atStreamStart = true;
    eventType = '';
    data = undefined;
    lastEventId = '';
  }

  function appendToCarry(bytes: Buffer, from: number, to: number): Buffer {
    const needed = carryLength + (to - from);
    if (carry === undefined || needed > carry.length) {
      // Doubling keeps a long line arriving in tiny chunks linear overall.
      let capacity = carry === undefined ? INITIAL_CARRY_BYTES : carry.length * 2;
      while (capacity < needed) capacity *= 2;
      const grown = Buffer.allocUnsafeSlow(capacity);
      if (carry !== undefined) carry.copy(grown, 0, 0, carryLength);
      carry = grown;
    }
    bytes.copy(carry, carryLength, from, to);
    carryLength = needed;
    return carry;
  }

  function dispatch(events: SseEvent[]): void {
    if (data !== undefined) {
      // The name is final only now.
      if (only !== undefined && !only.has(eventType)) {
        parser.skipped++;
      } else {
        const event: SseEvent = { event: eventType === '' ? undefined : eventType, data };
        if (lastEventId !== '' && needle === undefined) event.id = lastEventId;
        events.push(event);
      }
    }
    eventType = '';
    data = undefined;
  }

  function processLine(bytes: Buffer, from: number, to: number, events: SseEvent[]): void {
    if (atStreamStart) {
      atStreamStart = false;
      if (to - from >= 3 && bytes[from] === 0xef && bytes[from + 1] === 0xbb && bytes[from + 2] === 0xbf) {
        from += 3;
      }
    }
    if (from === to) {
      dispatch(events);
      return;
    }
    if (bytes[from] === COLON) return; // comment

    // Bounded by hand rather than indexOf, which would search past `to`.
    let colon = from;
    while (colon < to && bytes[colon] !== COLON) colon++;
    let valueStart = colon < to ? colon + 1 : to;
    if (valueStart < to && bytes[valueStart] === SPACE) valueStart++;

    const nameLength = colon - from;
    if (nameLength === 4 && isDataField(bytes, from)) {
      // "data": decoded even for a skipped name, as a later line of the same event may rename it.
      const value = bytes.toString('utf8', valueStart, to);
      data = data === undefined ? value : data + '\n' + value;
    } else if (nameLength === 5 && isEventField(bytes, from)) {
      // "event"
      eventType = internEventType(bytes, valueStart, to);
    } else if (nameLength === 2 && bytes[from] === 0x69 && bytes[from + 1] === 0x64) {
      // "id": the spec ignores an id containing NULL.
      const value = bytes.toString('utf8', valueStart, to);
      if (!value.includes('\0')) lastEventId = value;
    }
    // "retry" only matters to a reconnecting client, and every other field is
    // to be ignored, so neither is decoded.
  }

  // A plain counter property, not a getter: an object literal with an accessor is built through a
  // runtime call, about a microsecond per stream.
  const parser = {
    skipped: 0,
    push(input: Uint8Array): SseEvent[] {
      const events: SseEvent[] = [];
      const length = input.length;
      if (length === 0) return events;
      const chunk = Buffer.isBuffer(input) ? input : Buffer.from(input.buffer, input.byteOffset, length);

      let position = 0;
      if (skipLeadingLf) {
        skipLeadingLf = false;
        if (chunk[0] === LF) position = 1;
      }

      // Next CR and LF positions, each searched for natively and only again
      // once passed: a stream without CRs costs one failed search per chunk,
      // not one per line.
      let nextCr = -2;
      let nextLf = -2;
      let nextNeedle = -2;
      // Where a run without the needle was last looked for: not again until past it.
      let runTriedAt = -1;
      while (position < length) {
        // Between events, try to pass a run of events without the needle (see passRunWithoutNeedle).
        if (needle !== undefined && position > runTriedAt && length - position >= MIN_RUN_BYTES && carryLength === 0 && data === undefined && eventType === '' && !atStreamStart) {
          runTriedAt = position;
          if (nextNeedle !== -1 && nextNeedle < position) nextNeedle = chunk.indexOf(needle, position);
          const after = passRunWithoutNeedle(chunk, position, length, nextNeedle);
          if (after !== position) {
            position = runTriedAt = after;
            continue;
          }
        }
        if (nextCr !== -1 && nextCr < position) nextCr = chunk.indexOf(CR, position);
        if (nextLf !== -1 && nextLf < position) nextLf = chunk.indexOf(LF, position);
        // An event of one data line, named or not (the events of Chat Completions and Messages streams), at once
        // (see readWholeEvent).
        if (nextLf !== -1 && carryLength === 0 && data === undefined && eventType === '' && !atStreamStart) {
          const after = readWholeEvent(chunk, position, nextLf, nextCr, events);
          if (after !== -1) {
            position = after;
            continue;
          }
        }
        const lineEnd = nextCr === -1 ? nextLf : nextLf === -1 ? nextCr : Math.min(nextCr, nextLf);
        if (lineEnd === -1) {
          appendToCarry(chunk, position, length);
          break;
        }

        if (carryLength === 0) {
          processLine(chunk, position, lineEnd, events);
        } else {
          const line = appendToCarry(chunk, position, lineEnd);
          processLine(line, 0, carryLength, events);
          carryLength = 0;
          if (line.length > MAX_RETAINED_CARRY_BYTES) carry = undefined;
        }

        position = lineEnd + 1;
        if (chunk[lineEnd] === CR) {
          if (position === length) skipLeadingLf = true;
          else if (chunk[position] === LF) position++;
        }
      }
      return events;
    },
    end(): SseEvent[] {
      reset();
      return [];
    },
  };
  return parser;
}

/** A caller's needle is a constant of its own: checked and converted once (a few are remembered). */
const needles = new Map<string, Buffer>();

function needleBytes(needle: string): Buffer {
  let bytes = needles.get(needle);
  if (bytes === undefined) {
    if (needle === '' || /[^\x20-\x7e]/.test(needle)) throw new TypeError('The needle must be printable ASCII (no CR or LF).');
    bytes = Buffer.from(needle, 'latin1');
    if (needles.size < 16) needles.set(needle, bytes);
  }
  return bytes;
}

/**
 * Whether `bytes` holds `expected` at `at`. Compared from the end: event names sharing a prefix
 * (content_block_start, content_block_delta) differ there. Past the end of `bytes` nothing matches.
 */
function matchesAt(bytes: Buffer, at: number, expected: Buffer): boolean {
  for (let offset = expected.length - 1; offset >= 0; offset--) {
    if (bytes[at + offset] !== expected[offset]) return false;
  }
  return true;
}

/** `data` at `at` (field names are matched on bytes, so that unknown fields are never decoded). */
function isDataField(bytes: Buffer, at: number): boolean {
  return bytes[at] === 0x64 && bytes[at + 1] === 0x61 && bytes[at + 2] === 0x74 && bytes[at + 3] === 0x61;
}

/** `event` at `at`. */
function isEventField(bytes: Buffer, at: number): boolean {
  return bytes[at] === 0x65 && bytes[at + 1] === 0x76 && bytes[at + 2] === 0x65 && bytes[at + 3] === 0x6e && bytes[at + 4] === 0x74;
}

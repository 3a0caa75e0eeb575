import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { isDeepStrictEqual } from 'node:util';
import { describe, expect, it } from 'vitest';
import { createSeededRandom } from '../../../test/support/create-seeded-random.js';
import { cutAtRandom } from '../../../test/support/cut-at-random.js';
import { createSseParser } from './create-sse-parser.js';
import type { SseEvent } from './sse-event.js';
import type { SseParserOptions } from './create-sse-parser.js';

const encoder = new TextEncoder();
const bytesOf = (text: string): Uint8Array => encoder.encode(text);

function parseChunks(chunks: Uint8Array[]): SseEvent[] {
  const parser = createSseParser();
  const events: SseEvent[] = [];
  for (const chunk of chunks) events.push(...parser.push(chunk));
  events.push(...parser.end());
  return events;
}

const parseWhole = (bytes: Uint8Array): SseEvent[] => parseChunks([bytes]);
const parseText = (text: string): SseEvent[] => parseWhole(bytesOf(text));

function parseByteByByte(bytes: Uint8Array): SseEvent[] {
  const chunks: Uint8Array[] = [];
  for (let i = 0; i < bytes.length; i++) chunks.push(bytes.subarray(i, i + 1));
  return parseChunks(chunks);
}

/** Plain-data form, so that expect() diffs are readable and undefined `id` keys don't matter. */
const sameEvents = (a: SseEvent[], b: SseEvent[]): boolean =>
  a.length === b.length &&
  a.every((event, i) => {
    const other = b[i]!;
    return event.event === other.event && event.data === other.data && event.id === other.id;
  });

/**
 * Returns the cut positions in [cutFrom, cutTo] at which feeding
 * `bytes[from, to)` as two pushes gives other events than feeding it whole.
 * Collecting the failures instead of calling expect() per cut keeps 10^5 cuts
 * fast.
 */
function badCuts(bytes: Uint8Array, from: number, to: number, cutFrom = from, cutTo = to): number[] {
  const slice = bytes.subarray(from, to);
  const whole = parseWhole(slice);
  const bad: number[] = [];
  for (let cut = cutFrom; cut <= cutTo; cut++) {
    const split = parseChunks([bytes.subarray(from, cut), bytes.subarray(cut, to)]);
    if (!sameEvents(split, whole)) bad.push(cut);
  }
  return bad;
}

/**
 * 0, the offsets just after each blank line (where one event's bytes end and
 * the next one's begin; the fixtures use LF only) and the end of the file.
 */
function eventBoundaries(bytes: Uint8Array): number[] {
  const boundaries = [0];
  for (let i = 1; i < bytes.length; i++) {
    if (bytes[i] === 0x0a && bytes[i - 1] === 0x0a) boundaries.push(i + 1);
  }
  if (boundaries[boundaries.length - 1] !== bytes.length) boundaries.push(bytes.length);
  return boundaries;
}

describe('createSseParser: line endings', () => {
  const expected: SseEvent[] = [
    { event: 'a', data: 'one' },
    { event: undefined, data: 'two' },
  ];

  it.each([
    ['LF', '\n'],
    ['CRLF', '\r\n'],
    ['CR', '\r'],
  ])('parses %s line ends', (_name, eol) => {
    const text = `event: a${eol}data: one${eol}${eol}data: two${eol}${eol}`;
    expect(parseText(text)).toEqual(expected);
    expect(parseByteByByte(bytesOf(text))).toEqual(expected);
  });

  it('parses a mix of line ends in one stream', () => {
    expect(parseText('event: a\r\ndata: one\r\rdata: two\n\r\n')).toEqual(expected);
  });

  it('treats a CR ending one chunk and a LF starting the next as one line end', () => {
    const events = parseChunks([bytesOf('data: one\r'), bytesOf('\ndata: two\r\n\r'), bytesOf('\n')]);
    // Had the LF after the first CR counted as a second line end, the blank
    // line would have dispatched "one" alone.
    expect(events).toEqual([{ event: undefined, data: 'one\ntwo' }]);
  });

  it('keeps waiting for that LF across empty chunks', () => {
    const events = parseChunks([bytesOf('data: one\r'), new Uint8Array(0), bytesOf('\ndata: two\n\n')]);
    expect(events).toEqual([{ event: undefined, data: 'one\ntwo' }]);
  });

  it('treats CR CR as two line ends, i.e. a blank line', () => {
    expect(parseChunks([bytesOf('data: x\r'), bytesOf('\r')])).toEqual([{ event: undefined, data: 'x' }]);
  });

  it('dispatches at a CR blank line without waiting for the next chunk', () => {
    const parser = createSseParser();
    expect(parser.push(bytesOf('data: x\r\r'))).toEqual([{ event: undefined, data: 'x' }]);
  });
});

describe('createSseParser: fields', () => {
  it('ignores comment lines, also between data lines', () => {
    expect(parseText(': hello\ndata: a\n:\ndata: b\n: bye\n\n')).toEqual([{ event: undefined, data: 'a\nb' }]);
  });

  it('ignores a stream of comments only (keep-alives)', () => {
    expect(parseText(':ping\n\n: ping\n\n')).toEqual([]);
  });

  it('strips exactly one leading space from a value', () => {
    expect(parseText('data:no-space\n\ndata: one\n\ndata:  two\n\ndata:\tthree \n\n').map((e) => e.data)).toEqual([
      'no-space',
      'one',
      ' two',
      '\tthree ',
    ]);
  });

  it('splits a line at its first colon only', () => {
    expect(parseText('data: a: b:c\n\n')).toEqual([{ event: undefined, data: 'a: b:c' }]);
  });

  it('joins multiple data lines with LF, keeping empty ones', () => {
    expect(parseText('data: one\ndata:\ndata: three\n\n')).toEqual([{ event: undefined, data: 'one\n\nthree' }]);
  });

  it('treats a line without colon as a field with empty value', () => {
    expect(parseText('data\n\n')).toEqual([{ event: undefined, data: '' }]);
    expect(parseText('data\ndata\n\n')).toEqual([{ event: undefined, data: '\n' }]);
  });

  it('dispatches an event with empty data but not one without data', () => {
    expect(parseText('data:\n\n')).toEqual([{ event: undefined, data: '' }]);
    expect(parseText('event: lonely\n\ndata: x\n\n')).toEqual([{ event: undefined, data: 'x' }]);
  });

  it('resets the event name after each blank line', () => {
    expect(parseText('event: a\ndata: 1\n\ndata: 2\n\n')).toEqual([
      { event: 'a', data: '1' },
      { event: undefined, data: '2' },
    ]);
  });

  it('lets the last event field win and reports an empty one as undefined', () => {
    expect(parseText('event: a\nevent: b\ndata: 1\n\nevent: a\nevent:\ndata: 2\n\n')).toEqual([
      { event: 'b', data: '1' },
      { event: undefined, data: '2' },
    ]);
  });

  it('keeps the last event ID across events, ignores one containing NULL and clears it with an empty id', () => {
    expect(parseText('id: 1\ndata: a\n\ndata: b\n\nid: 2\0\ndata: c\n\nid\ndata: d\n\n')).toEqual([
      { event: undefined, data: 'a', id: '1' },
      { event: undefined, data: 'b', id: '1' },
      { event: undefined, data: 'c', id: '1' },
      { event: undefined, data: 'd' },
    ]);
  });

  it('ignores retry and unknown fields, and field names are case-sensitive', () => {
    expect(parseText('retry: 1000\nfoo: bar\nData: no\nEVENT: no\ndata: yes\n\n')).toEqual([
      { event: undefined, data: 'yes' },
    ]);
  });

  it('does not trim other whitespace from field names', () => {
    expect(parseText(' data: no\ndata : no\ndata: yes\n\n')).toEqual([{ event: undefined, data: 'yes' }]);
  });

  it('drops one UTF-8 BOM at the start of the stream only', () => {
    const bom = new Uint8Array([0xef, 0xbb, 0xbf]);
    const rest = bytesOf('data: a\n\n\uFEFFdata: ignored\ndata: b\n\n');
    const stream = new Uint8Array([...bom, ...rest]);
    const expected = [
      { event: undefined, data: 'a' },
      { event: undefined, data: 'b' },
    ];
    expect(parseWhole(stream)).toEqual(expected);
    expect(parseByteByByte(stream)).toEqual(expected);
    // A second BOM is part of the first field's name, which is then unknown.
    expect(parseWhole(new Uint8Array([...bom, ...bom, ...bytesOf('data: x\n\n')]))).toEqual([]);
  });
});

describe('createSseParser: chunking and end of stream', () => {
  it('decodes characters split across chunks', () => {
    const text = 'event: ünï\ndata: ÷ € 𝄞 漢字\n\n';
    const bytes = bytesOf(text);
    const expected = [{ event: 'ünï', data: '÷ € 𝄞 漢字' }];
    expect(parseByteByByte(bytes)).toEqual(expected);
    expect(badCuts(bytes, 0, bytes.length)).toEqual([]);
  });

  it('decodes invalid UTF-8 to U+FFFD like a whole-stream decode would', () => {
    // A truncated 3-byte sequence right before the line end, and a lone continuation byte.
    const bytes = new Uint8Array([...bytesOf('data: a'), 0xe2, 0x82, 0x0a, ...bytesOf('data: '), 0x80, 0x0a, 0x0a]);
    const expected = [{ event: undefined, data: 'a\uFFFD\n\uFFFD' }];
    expect(parseWhole(bytes)).toEqual(expected);
    expect(parseByteByByte(bytes)).toEqual(expected);
  });

  it('returns events as soon as their blank line arrives', () => {
    const parser = createSseParser();
    expect(parser.push(bytesOf('data: a\n'))).toEqual([]);
    expect(parser.push(bytesOf('\ndata: b'))).toEqual([{ event: undefined, data: 'a' }]);
    expect(parser.push(bytesOf('\n\n'))).toEqual([{ event: undefined, data: 'b' }]);
  });

  it('discards an event missing its trailing blank line at the end of the stream', () => {
    expect(parseText('data: a\n\ndata: b\n')).toEqual([{ event: undefined, data: 'a' }]);
    expect(parseText('data: a\n\ndata: b')).toEqual([{ event: undefined, data: 'a' }]);
  });

  it('end() resets the parser', () => {
    const parser = createSseParser();
    parser.push(bytesOf('id: 7\nevent: x\ndata: half'));
    expect(parser.end()).toEqual([]);
    expect(parser.push(bytesOf('data: fresh\n\n'))).toEqual([{ event: undefined, data: 'fresh' }]);
  });

  it('handles a long line arriving in many small chunks', () => {
    const value = 'x'.repeat(200_000);
    const bytes = bytesOf(`data: ${value}\n\n`);
    const chunks: Uint8Array[] = [];
    for (let i = 0; i < bytes.length; i += 7) chunks.push(bytes.subarray(i, i + 7));
    expect(parseChunks(chunks)).toEqual([{ event: undefined, data: value }]);
  });

  it('never modifies the chunks it is given', () => {
    const bytes = bytesOf('event: a\r\ndata: b\r\n\r\n');
    const copy = bytes.slice();
    parseChunks([bytes.subarray(0, 5), bytes.subarray(5)]);
    expect(bytes).toEqual(copy);
  });

  it('gives the same events for every 2-way cut of a stream with every kind of line end, a BOM and split characters', () => {
    const bytes = new Uint8Array([
      0xef,
      0xbb,
      0xbf,
      ...bytesOf(': c\r\nevent: é\rdata: 1\r\rid: 9\ndata: ÷\r\ndata\n\r\n:x\r\r\ndata: 𝄞\n\n'),
    ]);
    expect(parseWhole(bytes)).toEqual([
      { event: 'é', data: '1' },
      { event: undefined, data: '÷\n', id: '9' },
      { event: undefined, data: '𝄞', id: '9' },
    ]);
    expect(badCuts(bytes, 0, bytes.length)).toEqual([]);
  });
});

describe('createSseParser: recorded fixtures', () => {
  const fixtureDirs = ['anthropic/stream', 'openai/stream'].map(
    (dir) => new URL(`../../../test/fixtures/${dir}/`, import.meta.url),
  );
  const fixtures = fixtureDirs.flatMap((dir) =>
    readdirSync(dir)
      .filter((name) => name.endsWith('.sse'))
      .sort()
      .map((name) => {
        const url = new URL(name, dir);
        const label = fileURLToPath(url).split('/test/fixtures/')[1]!;
        return { label, bytes: new Uint8Array(readFileSync(url)) };
      }),
  );

  // Cutting a whole file at every byte costs a full parse per cut, O(n²): about
  // 100 s for all fixtures. Files up to this size get that literally; larger
  // ones get every cut within each pair of adjacent events (which is where a
  // cut can have any effect: the parser carries nothing but the last event ID
  // past a blank line), plus whole-file cuts at a stride.
  // MIXROUTE_EXHAUSTIVE_SSE=1 runs the literal whole-file check on every file.
  const exhaustive = process.env.MIXROUTE_EXHAUSTIVE_SSE === '1';
  const WHOLE_FILE_EVERY_CUT_MAX_BYTES = 20_000;

  it('finds the fixtures', () => {
    expect(fixtures.length).toBe(17);
  });

  it.each(fixtures)('$label: parses one event per blank-line-terminated record', ({ label, bytes }) => {
    const events = parseWhole(bytes);
    const endsWithBlankLine = bytes[bytes.length - 1] === 0x0a && bytes[bytes.length - 2] === 0x0a;
    const records = eventBoundaries(bytes).length - (endsWithBlankLine ? 1 : 2);
    expect(events.length).toBe(records);
    // The one recording without a final blank line: its `data: [DONE]` is an
    // incomplete event at EOF, which the spec (and so this parser) discards.
    expect(endsWithBlankLine).toBe(label !== 'openai/stream/anthropic-compat-tool-call.sse');
  });

  it('anthropic-compat-tool-call.sse never dispatches its unterminated [DONE]', () => {
    const { bytes } = fixtures.find((f) => f.label === 'openai/stream/anthropic-compat-tool-call.sse')!;
    const events = parseWhole(bytes);
    expect(events.some((e) => e.data === '[DONE]')).toBe(false);
    expect(JSON.parse(events[events.length - 1]!.data)).toMatchObject({
      choices: [{ finish_reason: 'tool_calls' }],
    });
  });

  it.each(fixtures)('$label: byte-by-byte gives the same events as whole', ({ bytes }) => {
    expect(sameEvents(parseByteByByte(bytes), parseWhole(bytes))).toBe(true);
  });

  it.each(fixtures)('$label: every 2-way cut gives the same events as whole', ({ bytes }) => {
    if (exhaustive || bytes.length <= WHOLE_FILE_EVERY_CUT_MAX_BYTES) {
      expect(badCuts(bytes, 0, bytes.length)).toEqual([]);
      return;
    }
    // Each cut inside an event is made in a window of just that event; a cut
    // between two events, in a window of both.
    const boundaries = eventBoundaries(bytes);
    const bad: number[] = [];
    for (let i = 1; i < boundaries.length; i++) {
      const start = boundaries[i - 1]!;
      const end = boundaries[i]!;
      bad.push(...badCuts(bytes, start, end, start + 1, end));
      if (i >= 2) bad.push(...badCuts(bytes, boundaries[i - 2]!, end, start, start));
    }
    expect(bad).toEqual([]);

    const whole = parseWhole(bytes);
    for (let cut = 0; cut <= bytes.length; cut += 997) {
      const split = parseChunks([bytes.subarray(0, cut), bytes.subarray(cut)]);
      if (!sameEvents(split, whole)) bad.push(cut);
    }
    expect(bad).toEqual([]);
  });
});

describe('createSseParser: only', () => {
  const stream = 'event: message_start\ndata: {"a":1}\n\nevent: content_block_delta\ndata: {"big":"x"}\ndata: more\n\ndata: unnamed\n\nevent: message_delta\ndata: {"b":2}\n\n';

  it('returns the named types only, in order, and counts the others, unnamed events included', () => {
    const parser = createSseParser({ only: new Set(['message_start', 'message_delta']) });
    const events = [...parser.push(bytesOf(stream)), ...parser.end()];
    expect(events).toEqual([
      { event: 'message_start', data: '{"a":1}' },
      { event: 'message_delta', data: '{"b":2}' },
    ]);
    expect(parser.skipped).toBe(2);
  });

  it('gives the same events and count byte by byte as whole', () => {
    const whole = createSseParser({ only: new Set(['message_delta']) });
    const expected = [...whole.push(bytesOf(stream)), ...whole.end()];
    const split = createSseParser({ only: new Set(['message_delta']) });
    const bytes = bytesOf(stream);
    const events: SseEvent[] = [];
    for (let index = 0; index < bytes.length; index++) events.push(...split.push(bytes.subarray(index, index + 1)));
    events.push(...split.end());
    expect(events).toEqual(expected);
    expect(split.skipped).toBe(whole.skipped);
  });

  it('returns an event renamed to a wanted type after its data, with that data', () => {
    const parser = createSseParser({ only: new Set(['message_delta']) });
    const text = 'event: ping\ndata: 1\n\nevent: ping\ndata: {"usage":{}}\nevent: message_delta\n\n';
    expect(parser.push(bytesOf(text))).toEqual([{ event: 'message_delta', data: '{"usage":{}}' }]);
    expect(parser.skipped).toBe(1);
  });
});

describe('createSseParser: only, whole skipped events taken in one step', () => {
  const wanted = new Set(['message_start', 'message_delta', 'message_stop', 'error']);
  const names = ['content_block_delta', 'content_block_start', 'content_block_stop', 'ping', ...wanted, 'content_block_delt', 'content_block_deltaa', 'nessage_delta', 'message_delte', 'x'];

  /** What `only` must give: the plain parser's events of the wanted types, and how many others there were. */
  function expectedOf(chunks: Uint8Array[]): { events: SseEvent[]; skipped: number } {
    const all = parseChunks(chunks);
    const events = all.filter((event) => event.event !== undefined && wanted.has(event.event));
    return { events, skipped: all.length - events.length };
  }

  function parseSkipping(chunks: Uint8Array[]): { events: SseEvent[]; skipped: number } {
    const parser = createSseParser({ only: wanted });
    const events: SseEvent[] = [];
    for (const chunk of chunks) events.push(...parser.push(chunk));
    events.push(...parser.end());
    return { events, skipped: parser.skipped };
  }

  /**
   * A stream of mostly well-formed Anthropic-like events (so that the one-step path is taken
   * often), among lines that must send it back to the line-by-line path: CR and CRLF line ends,
   * a name without the space or with a longer or shorter spelling, an `id:` line, a comment, an
   * event without data, data before the name, a second name, two data lines, unnamed data.
   */
  function randomStream(random: () => number): string {
    const pick = <T,>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
    const name = () => (random() < 0.7 ? 'content_block_delta' : pick(names));
    const data = () => `data: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":${JSON.stringify(pick(['a', 'event: message_delta', 'b\u000ac', '\u2028', 'caf\u00e9', 'a message', 'messag']))}}}`;
    let text = random() < 0.05 ? '\ufeff' : '';
    const events = 1 + Math.floor(random() * 40);
    for (let index = 0; index < events; index++) {
      const eol = random() < 0.9 ? '\n' : pick(['\r', '\r\n']);
      const roll = random();
      if (roll < 0.7) text += `event: ${name()}${eol}${data()}${eol}${eol}`;
      else if (roll < 0.73) text += `event:${name()}${eol}${data()}${eol}${eol}`;
      else if (roll < 0.76) text += `id: ${index}${eol}event: ${name()}${eol}${data()}${eol}${eol}`;
      else if (roll < 0.79) text += `: keep-alive${eol}event: ${name()}${eol}${data()}${eol}${eol}`;
      else if (roll < 0.82) text += `event: ${name()}${eol}${eol}`;
      else if (roll < 0.85) text += `${data()}${eol}event: ${name()}${eol}${eol}`;
      else if (roll < 0.88) text += `event: ${name()}${eol}event: ${name()}${eol}${data()}${eol}${eol}`;
      else if (roll < 0.91) text += `event: ${name()}${eol}${data()}${eol}data${eol}${eol}`;
      else if (roll < 0.94) text += `${data()}${eol}${eol}`;
      else if (roll < 0.95) text += `event: ${name()}${eol}datum: 1${eol}${data()}${eol}${eol}`;
      else if (roll < 0.96) text += `event: ${name()} ${eol}${data()}${eol}${eol}`;
      else if (roll < 0.965) text += `event:_${name()}${eol}${data()}${eol}${eol}`;
      // One line: a name followed by what looks like a data line.
      else if (roll < 0.97) text += `event: ${name()} data: 1${eol}${eol}`;
      // A line other than data, then the blank line: no data, so nothing is dispatched.
      else if (roll < 0.985) text += `event: ${name()}${eol}${pick(['id: 3', ': c', 'event: message_delta', 'retry: 5'])}${eol}${eol}`;
      // A lone CR ends the data line early; what follows it is another line of the same event.
      else text += `event: ${name()}\n${data()}\r${pick(['event: message_delta', 'data: 2', 'id: 4'])}\n\n`;
    }
    // Sometimes the stream stops inside an event.
    return random() < 0.2 ? text.slice(0, Math.floor(random() * text.length)) : text;
  }

  function randomChunks(bytes: Uint8Array, random: () => number): Uint8Array[] {
    const chunks: Uint8Array[] = [];
    let from = 0;
    while (from < bytes.length) {
      const size = random() < 0.3 ? 1 + Math.floor(random() * 8) : 1 + Math.floor(random() * 600);
      chunks.push(bytes.subarray(from, from + size));
      from += size;
    }
    return chunks;
  }

  it('gives what the line-by-line reading gives, on 2,000 seeded streams cut at random', () => {
    const random = createSeededRandom(0x55e);
    for (let run = 0; run < 2000; run++) {
      const bytes = bytesOf(randomStream(random));
      const chunks = random() < 0.5 ? [bytes] : randomChunks(bytes, random);
      const expected = expectedOf(chunks);
      const actual = parseSkipping(chunks);
      if (!isDeepStrictEqual(actual, expected)) {
        expect({ run, text: new TextDecoder().decode(bytes), actual }).toEqual({ run, text: new TextDecoder().decode(bytes), actual: expected });
      }
    }
  });

  it('tells a name from the same name after `event:` without its space', () => {
    const parser = createSseParser({ only: new Set(['_ping']) });
    expect(parser.push(bytesOf('event: ping\ndata: 1\n\nevent:_ping\ndata: 2\n\n'))).toEqual([{ event: '_ping', data: '2' }]);
    expect(parser.skipped).toBe(1);
  });

  it('keeps the last event ID set by a skipped event for the events after it', () => {
    const text = 'event: ping\ndata: 1\n\nid: 7\nevent: ping\ndata: 2\n\nevent: ping\ndata: 3\n\nevent: message_stop\ndata: a\n\nid\nevent: ping\ndata: 4\n\nevent: error\ndata: b\n\n';
    expect(parseSkipping([bytesOf(text)])).toEqual({
      events: [
        { event: 'message_stop', data: 'a', id: '7' },
        { event: 'error', data: 'b' },
      ],
      skipped: 4,
    });
  });

  describe('with a needle', () => {
    const withoutId = (events: SseEvent[]): SseEvent[] => events.map(({ event, data }) => ({ event, data }));

    function parseWithNeedle(chunks: Uint8Array[], only: ReadonlySet<string>): SseEvent[] {
      const parser = createSseParser({ only, needle: 'message' });
      const events: SseEvent[] = [];
      for (const chunk of chunks) events.push(...parser.push(chunk));
      events.push(...parser.end());
      return events;
    }

    it('returns exactly the wanted events when every wanted name holds the needle, on 2,000 seeded streams cut at random', () => {
      const messages = new Set(['message_start', 'message_delta', 'message_stop']);
      const random = createSeededRandom(0x4eed1e);
      for (let run = 0; run < 2000; run++) {
        const bytes = bytesOf(randomStream(random));
        const chunks = random() < 0.5 ? [bytes] : randomChunks(bytes, random);
        const expected = withoutId(parseChunks(chunks).filter((event) => event.event !== undefined && messages.has(event.event)));
        const actual = parseWithNeedle(chunks, messages);
        if (!isDeepStrictEqual(actual, expected)) {
          expect({ run, text: new TextDecoder().decode(bytes), actual }).toEqual({ run, text: new TextDecoder().decode(bytes), actual: expected });
        }
      }
    });

    it('returns every wanted event holding the needle, and only wanted events in order, when one wanted name lacks it', () => {
      const random = createSeededRandom(0xe77);
      for (let run = 0; run < 2000; run++) {
        const bytes = bytesOf(randomStream(random));
        const chunks = random() < 0.5 ? [bytes] : randomChunks(bytes, random);
        const plain = withoutId(expectedOf(chunks).events);
        const actual = parseWithNeedle(chunks, wanted);
        // A subsequence of the plain reading's wanted events…
        let next = 0;
        for (const event of actual) {
          while (next < plain.length && !isDeepStrictEqual(plain[next], event)) next++;
          if (next === plain.length) expect({ run, text: new TextDecoder().decode(bytes), unexpected: event }).toBeUndefined();
          next++;
        }
        // …missing none whose name or data holds the needle.
        const needed = plain.filter((event) => `${event.event}\n${event.data}`.includes('message'));
        const missing = needed.filter((event) => !actual.some((other) => isDeepStrictEqual(other, event)));
        if (missing.length > 0) expect({ run, text: new TextDecoder().decode(bytes), missing }).toEqual({ run, text: new TextDecoder().decode(bytes), missing: [] });
      }
    });

    it('passes a run of events without the needle unread: not counted, not decoded', () => {
      const parser = createSseParser({ only: wanted, needle: 'message' });
      // Runs are looked for in at least 512 bytes: two native searches cost what skipping two or three events does.
      const deltas = 'event: content_block_delta\ndata: {"text":"hi"}\n\n'.repeat(12);
      const events = parser.push(bytesOf(`event: ping\ndata: {}\n\n${deltas}event: message_stop\ndata: {}\n\n${deltas}event: error\ndata: {"error":{}}\n\n${deltas}`));
      // The ping is read line by line: a stream's first line is checked for a byte order mark.
      expect({ events, skipped: parser.skipped }).toEqual({ events: [{ event: 'message_stop', data: '{}' }], skipped: 1 });
    });

    it('reads an event whose needle is cut by the end of a chunk', () => {
      const parser = createSseParser({ only: wanted, needle: 'message' });
      const events = [
        ...parser.push(bytesOf('event: ping\ndata: {}\n\nevent: content_block_delta\ndata: {}\n\nevent: mess')),
        ...parser.push(bytesOf('age_delta\ndata: {"usage":{}}\n\nevent: ping\ndata: {}\n\n')),
      ];
      expect(events).toEqual([{ event: 'message_delta', data: '{"usage":{}}' }]);
    });

    it('refuses a needle that could span lines or is empty', () => {
      for (const needle of ['', 'a\nb', 'a\rb', 'caf\u00e9']) expect(() => createSseParser({ only: wanted, needle })).toThrow(TypeError);
    });
  });

  it('reads a CR that ends a line later in the chunk as a line end', () => {
    // The one-step path must not take "data: 2\revent: message_delta" for one data line.
    const text = 'event: ping\ndata: 1\n\nevent: ping\ndata: 2\revent: message_delta\n\nevent: message_stop\ndata: {}\n\n';
    expect(parseSkipping([bytesOf(text)])).toEqual({
      events: [
        { event: 'message_delta', data: '2' },
        { event: 'message_stop', data: '{}' },
      ],
      skipped: 1,
    });
  });
});

describe('createSseParser: event names', () => {
  it('keeps every name exact when names repeat, share a length or a prefix, or are more than it remembers', () => {
    const names = ['content_block_start', 'content_block_delta', 'content_block_stop', 'message_delta', 'message_start'];
    for (let index = 0; index < 20; index++) names.push(`custom_${index}`);
    names.push('caf\u00e9', 'content_block_delta', 'custom_19', 'message_start');
    const parser = createSseParser();
    const text = names.map((name, index) => `event: ${name}\ndata: ${index}\n\n`).join('');
    const events = parser.push(bytesOf(text));
    expect(events.map((event) => event.event)).toEqual(names);
    expect(events.map((event) => event.data)).toEqual(names.map((_, index) => String(index)));
  });

  it('decodes a name with an invalid UTF-8 byte the same way each time it comes', () => {
    const parser = createSseParser();
    const bytes = Buffer.concat([Buffer.from('event: a'), Buffer.from([0xff]), Buffer.from('b\ndata: 1\n\nevent: a'), Buffer.from([0xff]), Buffer.from('b\ndata: 2\n\n')]);
    expect(parser.push(bytes).map((event) => event.event)).toEqual(['a\ufffdb', 'a\ufffdb']);
  });
});

describe('createSseParser: events of one data line taken in one step', () => {
  /** The same parser's events and skipped count, fed in these chunks. */
  function parseWith(options: SseParserOptions, chunks: Uint8Array[]): { events: SseEvent[]; skipped: number } {
    const parser = createSseParser(options);
    const events: SseEvent[] = [];
    for (const chunk of chunks) events.push(...parser.push(chunk));
    events.push(...parser.end());
    return { events, skipped: parser.skipped };
  }

  it('gives what the byte-by-byte reading gives for named events, with and without only and needle, on 2,000 seeded streams', () => {
    const random = createSeededRandom(0xe7e7);
    const pick = <T,>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
    const optionSets: SseParserOptions[] = [{}, { only: new Set(['message_start', 'error', 'x']) }, { only: new Set(['message_start', 'message_delta', 'error']), needle: 'message' }];
    for (let run = 0; run < 2000; run++) {
      let text = random() < 0.05 ? '\ufeff' : '';
      for (let index = Math.floor(random() * 30); index > 0; index--) {
        const name = pick(['content_block_delta', 'message_start', 'message_delta', 'x', '', 'ping']);
        const data = pick(['{"type":"content_block_delta","delta":{"text":"a message"}}', '{}', '', ' x', 'caf\u00e9']);
        const roll = random();
        if (roll < 0.7) text += `event: ${name}\ndata: ${data}\n\n`;
        else text += pick([`event:${name}\ndata:${data}\n\n`, `event: ${name}\r\ndata: ${data}\n\n`, `event: ${name}\ndata: ${data}\r\n\n`, `event: ${name}\rdata: ${data}\n\n`, `event: ${name}\ndata: ${data}\n`, `event: ${name}\nid: ${index}\ndata: ${data}\n\n`, `event: ${name}\ndata: 1\ndata: 2\n\n`, `event\ndata: ${data}\n\n`, `eventx: y\ndata: ${data}\n\n`, `event: ${name}\ndatum: ${data}\n\n`, `event: ${name}\ndatax: ${data}\n\n`, `event: ${name}\n\n`, `event: ${name}\ndata\n\n`, `data: ${data}\nevent: ${name}\n\n`, `: c\n\n`]);
      }
      if (random() < 0.2) text = text.slice(0, Math.floor(random() * text.length));
      const bytes = bytesOf(text);
      const chunks = cutAtRandom(bytes, random);
      for (const options of optionSets) {
        const reference = parseWith(options, Array.from(bytes, (_, at) => bytes.subarray(at, at + 1)));
        const result = parseWith(options, chunks);
        if (!sameEvents(result.events, reference.events) || (options.needle === undefined && result.skipped !== reference.skipped)) {
          expect({ run, text, options: Object.keys(options), ...result }).toEqual({ run, text, options: Object.keys(options), ...reference });
        }
      }
    }
  });


  // Fed one byte at a time, no event is ever whole inside a chunk: the line-by-line reading.
  it('reads what the line-by-line reading reads where a data line only looks like one', () => {
    const cases: Array<[string, Array<string | undefined>]> = [
      ['data: a\r\n\ndata: b\n\n', ['a', 'b']],
      ['data: a\rb\n\ndata: c\n\n', ['a', 'c']],
      ['data: a\n\n\ufeffdata: b\n\ndata: c\n\n', ['a', 'c']],
      ['data: a\n\ndatax: y\n\ndata: z\n\n', ['a', 'z']],
      ['data\n\ndata:no space\n\ndata:  two spaces\n\n', ['', 'no space', ' two spaces']],
      ['id: 7\ndata: a\n\ndata: b\n\n', ['a', 'b']],
    ];
    for (const [text, data] of cases) {
      expect(parseText(text).map((event) => event.data), JSON.stringify(text)).toEqual(data);
      expect(sameEvents(parseText(text), parseByteByByte(bytesOf(text))), JSON.stringify(text)).toBe(true);
    }
    expect(parseText('id: 7\ndata: a\n\ndata: b\n\n').map((event) => event.id)).toEqual(['7', '7']);
  });

  it('gives what the line-by-line reading gives, on 2,000 seeded Chat Completions-like streams cut at random', () => {
    const random = createSeededRandom(0xda7a);
    const pick = <T,>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
    for (let run = 0; run < 2000; run++) {
      let text = random() < 0.05 ? '\ufeff' : '';
      for (let index = Math.floor(random() * 30); index > 0; index--) {
        const data = pick(['{"choices":[{"delta":{"content":"a"}}]}', '[DONE]', '', ' x', 'caf\u00e9', '\u2028']);
        const roll = random();
        if (roll < 0.75) text += `data: ${data}\n\n`;
        else text += pick([`data:${data}\n\n`, `data: ${data}\r\n\r\n`, `data: ${data}\r\n\n`, `data: ${data}\r\r`, `data: ${data}\rx\n\n`, `data: ${data}\ndata: 2\n\n`, `event: e\ndata: ${data}\n\n`, `data: ${data}\n`, `: ping\n\n`, `id: ${index}\n`, `datum: ${data}\n\n`, `datax: ${data}\n\n`, `data\n\n`, `\ufeffdata: ${data}\n\n`]);
      }
      if (random() < 0.2) text = text.slice(0, Math.floor(random() * text.length));
      const bytes = bytesOf(text);
      const chunks = cutAtRandom(bytes, random);
      const reference = parseByteByByte(bytes);
      const events = parseChunks(chunks);
      if (!sameEvents(events, reference)) expect({ run, text, events }).toEqual({ run, text, events: reference });
    }
  });
});

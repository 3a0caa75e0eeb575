import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createWholeEventStream } from './create-whole-event-stream.js';

const fixture = readFileSync(new URL('../../test/fixtures/anthropic/stream/web-search-citations.sse', import.meta.url));

function run(chunks: Buffer[]) {
  const stream = createWholeEventStream({ dialect: 'anthropic', requestId: 'req_test' });
  const out: Buffer[] = [];
  for (const chunk of chunks) {
    const pushed = stream.push(chunk);
    if (pushed) {
      const piece = Array.isArray(pushed) ? Buffer.concat(pushed) : pushed;
      // Whatever is forwarded ends at an event boundary.
      expect(piece.toString('latin1')).toMatch(/[\r\n]{2}$/);
      out.push(piece);
    }
  }
  const rest = stream.end();
  if (rest) out.push(rest);
  return Buffer.concat(out);
}

describe('createWholeEventStream', () => {
  it('forwards every byte, whole events at a time, whatever the chunking', () => {
    for (const size of [1, 2, 3, 7, 64, 1000, 4096, fixture.length]) {
      const chunks: Buffer[] = [];
      for (let at = 0; at < fixture.length; at += size) chunks.push(fixture.subarray(at, at + size));
      expect(run(chunks).equals(fixture), `chunks of ${size}`).toBe(true);
    }
  });

  it('finds blank lines split across chunks in every line-ending style', () => {
    for (const text of ['data: a\n\ndata: b\n\n', 'data: a\r\n\r\ndata: b\r\n\r\n', 'data: a\r\rdata: b\r\r']) {
      const bytes = Buffer.from(text);
      for (let cut = 1; cut < bytes.length; cut++) expect(run([bytes.subarray(0, cut), bytes.subarray(cut)]).toString()).toBe(text);
    }
  });

  it('sends what it held and the next chunk as pieces of the same memory, copying neither', () => {
    const stream = createWholeEventStream({ dialect: 'anthropic', requestId: 'req_test' });
    const first = Buffer.from('event: a\ndata: 1\n\nevent: b\nda');
    const second = Buffer.from('ta: 2\n\nevent: c\ndata: 3\n\nevent: d');
    expect(stream.push(first)!.toString()).toBe('event: a\ndata: 1\n\n');
    const pieces = stream.push(second) as Buffer[];
    expect(Array.isArray(pieces)).toBe(true);
    expect(Buffer.concat(pieces).toString()).toBe('event: b\ndata: 2\n\nevent: c\ndata: 3\n\n');
    expect(pieces.map((piece) => piece.buffer)).toEqual([first.buffer, second.buffer]);
    expect(stream.end()!.toString()).toBe('event: d');
  });

  it('finds the blank line wherever chunks cut a stream of mixed line endings', () => {
    const text = 'data: a\r\n\r\ndata: b\n\ndata: c\r\rdata: d\r\n\ndata: e\n\r\n: x\r\n\r\n';
    const bytes = Buffer.from(text);
    // Every way to cut it in three: all of it comes out, each push ends at a boundary (checked in run).
    for (let one = 1; one < bytes.length; one++) {
      for (let two = one + 1; two < bytes.length; two++) {
        expect(run([bytes.subarray(0, one), bytes.subarray(one, two), bytes.subarray(two)]).toString()).toBe(text);
      }
    }
  });

  it('holds a long event split into many chunks without rescanning it (linear time)', () => {
    const stream = createWholeEventStream({ dialect: 'anthropic', requestId: 'req_test' });
    const chunk = Buffer.alloc(1024, 'x');
    const started = performance.now();
    for (let index = 0; index < 4096; index++) expect(stream.push(chunk)).toBeUndefined();
    expect(Buffer.concat(stream.push(Buffer.from('\n\n')) as Buffer[]).length).toBe(4096 * 1024 + 2);
    // 4 MB in 1 KB chunks: a quadratic rescan takes tens of seconds here.
    expect(performance.now() - started).toBeLessThan(2_000);
  });

  it('refuses an event that never ends past 16 MB', () => {
    const stream = createWholeEventStream({ dialect: 'anthropic', requestId: 'req_test' });
    const chunk = Buffer.alloc(1024 * 1024, 'x');
    expect(() => {
      for (let index = 0; index < 20; index++) stream.push(chunk);
    }).toThrow(/without an end/);
  });

  it('drops the held partial event on failure and answers with the dialect error event', () => {
    const stream = createWholeEventStream({ dialect: 'anthropic', requestId: 'req_test' });
    expect(stream.push(Buffer.from('event: message_start\ndata: {"type":"mess'))).toBeUndefined();
    expect(stream.fail('gone').toString()).toMatch(/^event: error\ndata: \{"type":"error","error":\{"type":"api_error","message":"gone"\}/);
    expect(stream.end()).toBeUndefined();
  });
});

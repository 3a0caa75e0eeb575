import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createSeededRandom } from '../../test/support/create-seeded-random.js';
import { cutAtRandom, recordedStreamsCut } from '../../test/support/cut-at-random.js';
import { createAnthropicToOpenAIStreamTransform } from './create-anthropic-to-openai-stream-transform.js';

const STREAM_FIXTURES = new URL('../../test/fixtures/anthropic/stream/', import.meta.url);

function run(pieces: Buffer[], recognizeTextDeltas: boolean) {
  const transform = createAnthropicToOpenAIStreamTransform({ includeUsage: true, created: 1770000000, model: 'client-model', recognizeTextDeltas });
  const out: Buffer[] = [];
  for (const piece of pieces) {
    const bytes = transform.push(piece);
    if (bytes !== undefined) out.push(...(Buffer.isBuffer(bytes) ? [bytes] : bytes));
  }
  const rest = transform.end();
  if (rest !== undefined) out.push(rest);
  return { bytes: Buffer.concat(out).toString('utf8'), recognized: transform.recognized };
}

/** Recognized or read in full, a stream must give the client the same bytes. */
function expectSameAsFullReading(pieces: Buffer[], label: string) {
  const recognizing = run(pieces, true);
  const reading = run(pieces, false);
  expect(recognizing.bytes, label).toBe(reading.bytes);
  expect(reading.recognized).toBe(0);
  return recognizing;
}

const TEXTS = ['The', ' quick', '', ' "quoted"', ' back\\slash', '\nnew line', '\ttab', '\u0001', ' café', ' 😀', '\u2028', '\ud800', ' </script>', ' \\u0041', '/'];

/** A Messages stream: text, thinking and tool blocks, pings, escapes written in several ways, errors and truncation. */
function randomStream(random: () => number): Buffer {
  const pick = <T,>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const eol = random() < 0.85 ? '\n' : pick(['\r\n', '\r']);
  const escapeAll = random() < 0.25;
  const json = (value: unknown) => {
    const text = JSON.stringify(value);
    return escapeAll ? text.replace(/[\u0080-\uffff]/g, (character) => `\\u${character.charCodeAt(0).toString(16).padStart(4, '0')}`) : text;
  };
  const frames: string[] = [];
  const send = (event: Record<string, unknown>) => frames.push(`event: ${String(event.type)}${eol}data: ${json(event)}${eol}${eol}`);
  send({ type: 'message_start', message: { id: `msg_${Math.floor(random() * 1000)}`, type: 'message', role: 'assistant', model: 'claude-test', content: [], stop_reason: null, stop_sequence: null, usage: { input_tokens: 25, output_tokens: 1 } } });
  const blocks = Math.floor(random() * 4);
  for (let index = 0; index < blocks; index++) {
    const kind = pick(['text', 'text', 'thinking', 'tool_use']);
    if (kind === 'tool_use') send({ type: 'content_block_start', index, content_block: { type: 'tool_use', id: `toolu_${index}`, name: 'get_weather', input: {} } });
    else send({ type: 'content_block_start', index, content_block: kind === 'text' ? { type: 'text', text: '' } : { type: 'thinking', thinking: '', signature: '' } });
    for (let count = Math.floor(random() * 30); count > 0; count--) {
      const roll = random();
      if (roll < 0.03) frames.push(`event: ping${eol}data: {"type": "ping"}${eol}${eol}`);
      else if (roll < 0.05) frames.push(`data: not json${eol}${eol}`);
      else if (kind === 'tool_use') send({ type: 'content_block_delta', index, delta: { type: 'input_json_delta', partial_json: pick(['{"', 'city', '": "', 'Paris', '"}', '']) } });
      else if (kind === 'thinking') send({ type: 'content_block_delta', index, delta: { type: 'thinking_delta', thinking: pick(TEXTS) } });
      else if (roll < 0.08) send({ type: 'content_block_delta', index, delta: { type: 'citations_delta', citation: { type: 'web_search_result_location', cited_text: 'x' } } });
      else send({ type: 'content_block_delta', index, delta: { type: 'text_delta', text: pick(TEXTS) } });
    }
    if (kind === 'thinking') send({ type: 'content_block_delta', index, delta: { type: 'signature_delta', signature: 'EqQB' } });
    send({ type: 'content_block_stop', index });
  }
  const ending = random();
  if (ending < 0.1) {
    send({ type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } });
    send({ type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'after the error' } });
  } else if (ending < 0.9) {
    send({ type: 'message_delta', delta: { stop_reason: pick(['end_turn', 'max_tokens', 'tool_use']), stop_sequence: null }, usage: { output_tokens: 12 } });
    if (random() < 0.8) send({ type: 'message_stop' });
    if (random() < 0.2) send({ type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'after the end' } });
  }
  const text = frames.join('');
  return Buffer.from(random() < 0.1 ? text.slice(0, Math.floor(random() * text.length)) : text);
}

describe('createAnthropicToOpenAIStreamTransform', () => {
  it('gives the same bytes with text deltas recognized as read in full, for every recorded stream cut every way', () => {
    let recognized = 0;
    for (const { label, pieces, whole } of recordedStreamsCut(STREAM_FIXTURES, createSeededRandom(17))) {
      const result = expectSameAsFullReading(pieces, label);
      if (whole) recognized += result.recognized;
    }
    expect(recognized).toBeGreaterThan(700);
  });

  it('recognizes the deltas of text and thinking after the first of each block', () => {
    const result = expectSameAsFullReading([readFileSync(new URL('thinking-signature-text.sse', STREAM_FIXTURES))], 'thinking-signature-text.sse');
    const text = readFileSync(new URL('thinking-signature-text.sse', STREAM_FIXTURES), 'utf8');
    const deltas = (text.match(/"type":"(text|thinking)_delta"/g) ?? []).length;
    const blocks = (text.match(/"content_block":\{"type":"(text|thinking)"/g) ?? []).length;
    expect(result.recognized).toBe(deltas - blocks);
  });

  it('keeps recognizing in a long answer of many blocks', () => {
    const events = [{ type: 'message_start', message: { id: 'msg_1', type: 'message', role: 'assistant', model: 'm', content: [], usage: { input_tokens: 1, output_tokens: 1 } } }];
    for (let index = 0; index < 12; index++) {
      events.push({ type: 'content_block_start', index, content_block: { type: index % 2 ? 'text' : 'thinking', ...(index % 2 ? { text: '' } : { thinking: '', signature: '' }) } } as never);
      for (let count = 0; count < 10; count++) events.push({ type: 'content_block_delta', index, delta: index % 2 ? { type: 'text_delta', text: `t${count}` } : { type: 'thinking_delta', thinking: `r${count}` } } as never);
      events.push({ type: 'content_block_stop', index } as never);
    }
    events.push({ type: 'message_delta', delta: { stop_reason: 'end_turn' }, usage: { output_tokens: 120 } } as never, { type: 'message_stop' } as never);
    const bytes = Buffer.from(events.map((event) => `event: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`).join(''));
    // The first delta of each block teaches its template (the block's index is part of it).
    expect(expectSameAsFullReading([bytes], 'twelve blocks').recognized).toBe(12 * 9);
  });

  it('gives the same bytes as the full reading for 1,500 random streams in random pieces', () => {
    const random = createSeededRandom(4242);
    let recognized = 0;
    for (let attempt = 0; attempt < 1500; attempt++) recognized += expectSameAsFullReading(cutAtRandom(randomStream(random), random), `stream ${attempt}`).recognized;
    expect(recognized).toBeGreaterThan(5000);
  });
});

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createSeededRandom } from '../../test/support/create-seeded-random.js';
import { cutAtRandom, recordedStreamsCut } from '../../test/support/cut-at-random.js';
import { createToolNameMap } from '../translation/tool-name/create-tool-name-map.js';
import { createOpenAIToAnthropicStreamTransform } from './create-openai-to-anthropic-stream-transform.js';

const STREAM_FIXTURES = new URL('../../test/fixtures/openai/stream/', import.meta.url);

function run(pieces: Buffer[], recognizeTextDeltas: boolean) {
  const transform = createOpenAIToAnthropicStreamTransform({
    toolNames: createToolNameMap(['read_file', 'get_weather']),
    model: 'client-model',
    messageId: 'msg_test',
    stopSequences: ['STOP'],
    recognizeTextDeltas,
  });
  const out: Buffer[] = [];
  for (const piece of pieces) {
    const bytes = transform.push(piece);
    if (bytes !== undefined) out.push(...(Buffer.isBuffer(bytes) ? [bytes] : bytes));
  }
  const rest = transform.end();
  if (rest !== undefined) out.push(rest);
  return { bytes: Buffer.concat(out).toString('utf8'), reading: transform.reading!(), recognized: transform.recognized };
}

/** Recognized or read in full, a stream must give the client the same bytes and the ledger the same usage. */
function expectSameAsFullReading(pieces: Buffer[], label: string) {
  const recognizing = run(pieces, true);
  const reading = run(pieces, false);
  expect(recognizing.bytes, label).toBe(reading.bytes);
  expect(recognizing.reading, label).toEqual(reading.reading);
  expect(reading.recognized).toBe(0);
  return recognizing;
}

// Texts that are hard to carry: quotes, backslashes, control characters, non-ASCII, a lone surrogate, line separators.
const TEXTS = ['The', ' quick', '', ' "quoted"', ' back\\slash', '\nnew line', '\ttab', '\u0001', ' café', ' 😀', '\u2028', '\ud800', ' </script>', ' \\u0041', '/', ' STOP'];

/** JSON as Python's json.dumps writes it by default: non-ASCII escaped, spaces after separators. */
function pythonJson(value: unknown): string {
  return JSON.stringify(value, null, 1)
    .replace(/\n */g, (match, offset: number, text: string) => (text[offset - 1] === '[' || text[offset - 1] === '{' || /^\n *[\]}]/.test(text.slice(offset)) ? '' : ' '))
    .replace(/[\u0080-\uffff]/g, (character) => `\\u${character.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** A Chat Completions stream of the shapes servers send, with shape changes, tool calls, errors and truncation. */
function randomStream(random: () => number): Buffer {
  const pick = <T,>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const python = random() < 0.25;
  const eol = random() < 0.85 ? '\n' : pick(['\r\n', '\r']);
  const obfuscated = random() < 0.4;
  let id = `chatcmpl-${Math.floor(random() * 1000)}`;
  const base = () => ({ id, object: 'chat.completion.chunk', created: 1770933892, model: 'gpt-test', system_fingerprint: 'fp_1' });
  const frames: string[] = [];
  const send = (chunk: Record<string, unknown>) => {
    if (obfuscated) chunk.obfuscation = pick(['', 'a', 'xYz12', 'q"\\w', '\u00e9\u00e9']);
    frames.push(`data: ${python ? pythonJson(chunk) : JSON.stringify(chunk)}${eol}${eol}`);
  };
  const choice = (delta: Record<string, unknown>, finish: string | null = null) => ({ choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }] });
  send({ ...base(), ...choice({ role: 'assistant', content: '', refusal: null }) });
  const parts = 1 + Math.floor(random() * 4);
  for (let part = 0; part < parts; part++) {
    const kind = pick(['content', 'content', 'reasoning_content', 'reasoning', 'refusal', 'tool']);
    const count = Math.floor(random() * 30);
    for (let index = 0; index < count; index++) {
      const roll = random();
      if (roll < 0.02) id = `chatcmpl-${Math.floor(random() * 1000)}`; // a server whose ids change mid-stream
      if (roll > 0.98) {
        frames.push(`: keep-alive${eol}${eol}`);
        continue;
      }
      if (kind === 'tool') {
        const fragment = index === 0 ? { index: part, id: `call_${part}`, type: 'function', function: { name: 'get_weather', arguments: '' } } : { index: part, function: { arguments: pick(['{"', 'city', '": "', 'Paris', '"}']) } };
        send({ ...base(), ...choice({ tool_calls: [fragment] }) });
      } else if (kind === 'reasoning_content' && random() < 0.5) {
        send({ ...base(), ...choice({ content: null, reasoning_content: pick(TEXTS) }) });
      } else {
        const extra = random() < 0.05 ? { usage: null } : random() < 0.03 ? { usage: { prompt_tokens: 3, completion_tokens: 1, total_tokens: 4 } } : {};
        send({ ...base(), ...choice({ [kind]: pick(TEXTS) }), ...extra });
      }
    }
  }
  const ending = random();
  if (ending < 0.08) {
    frames.push(`data: {"error":{"message":"overloaded","type":"server_error"}}${eol}${eol}`);
  } else if (ending < 0.12) {
    frames.push(`data: {"id":${eol}${eol}`); // garbage: the transform throws, as the full reading does
  } else if (ending < 0.9) {
    send({ ...base(), ...choice({}, pick(['stop', 'length', 'tool_calls'])) });
    if (random() < 0.7) send({ ...base(), choices: [], usage: { prompt_tokens: 25, completion_tokens: 12, total_tokens: 37 } });
    if (random() < 0.8) frames.push(`data: [DONE]${eol}${eol}`);
  }
  const text = frames.join('');
  // Sometimes cut off mid-stream.
  return Buffer.from(random() < 0.1 ? text.slice(0, Math.floor(random() * text.length)) : text);
}

function runOrThrow(pieces: Buffer[], recognizeTextDeltas: boolean) {
  try {
    return run(pieces, recognizeTextDeltas);
  } catch (error) {
    return { thrown: (error as Error).message };
  }
}

describe('createOpenAIToAnthropicStreamTransform', () => {
  it('gives the same bytes and usage with text deltas recognized as read in full, for every recorded stream cut every way', () => {
    let recognized = 0;
    for (const { label, pieces, whole } of recordedStreamsCut(STREAM_FIXTURES, createSeededRandom(7))) {
      const result = expectSameAsFullReading(pieces, label);
      if (whole) recognized += result.recognized;
    }
    expect(recognized).toBeGreaterThan(100);
  });

  it('recognizes most deltas of a text stream, OpenAI obfuscation padding and all', () => {
    const bytes = readFileSync(new URL('text.sse', STREAM_FIXTURES));
    const chunks = bytes.toString('utf8').split('\n\n').filter((frame) => frame.includes('"content":"')).length;
    const result = expectSameAsFullReading([bytes], 'text.sse');
    // The first content chunk teaches the template; the rest follow it.
    expect(result.recognized).toBeGreaterThanOrEqual(chunks - 2);
    const reasoning = expectSameAsFullReading([readFileSync(new URL('deepseek-reasoning.sse', STREAM_FIXTURES))], 'deepseek-reasoning.sse');
    expect(reasoning.recognized).toBeGreaterThan(10);
  });

  it('gives the same bytes, usage and failures as the full reading for 1,500 random streams in random pieces', () => {
    const random = createSeededRandom(2026);
    let recognized = 0;
    for (let attempt = 0; attempt < 1500; attempt++) {
      const pieces = cutAtRandom(randomStream(random), random);
      const recognizing = runOrThrow(pieces, true);
      const reading = runOrThrow(pieces, false);
      expect(recognizing, `stream ${attempt}`).toEqual({ ...reading, ...('recognized' in recognizing ? { recognized: recognizing.recognized } : {}) });
      if ('recognized' in recognizing) recognized += recognizing.recognized;
    }
    expect(recognized).toBeGreaterThan(5000);
  });
});

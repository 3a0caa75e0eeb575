import { readdirSync, readFileSync } from 'node:fs';
import { isDeepStrictEqual } from 'node:util';
import { describe, expect, it } from 'vitest';
import { createSeededRandom } from '../../../test/support/create-seeded-random.js';
import { createRepeatedShapeJsonParser } from './create-repeated-shape-json-parser.js';

const FIXTURES = new URL('../../../test/fixtures/', import.meta.url);

/** What JSON.parse makes of `text`: its value, or the class of error it throws. */
function reference(text: string): { value: unknown } | { error: string } {
  try {
    return { value: JSON.parse(text) as unknown };
  } catch (error) {
    return { error: (error as Error).name };
  }
}

function attempt(parse: (text: string) => unknown, text: string): { value: unknown } | { error: string } {
  try {
    return { value: parse(text) };
  } catch (error) {
    return { error: (error as Error).name };
  }
}

/** Parses the texts in order with one parser and checks each result against JSON.parse. */
function expectSameAsJsonParse(texts: string[]): void {
  const parser = createRepeatedShapeJsonParser();
  texts.forEach((text, index) => {
    const expected = reference(text);
    const actual = attempt(parser.parse, text);
    // JSON.stringify sees key order; isDeepStrictEqual sees prototypes, own `__proto__` keys and -0.
    if (JSON.stringify(actual) !== JSON.stringify(expected) || !isDeepStrictEqual(actual, expected)) {
      throw new Error(`text ${index} differs from JSON.parse: ${text}\nexpected ${JSON.stringify(expected)}\ngot      ${JSON.stringify(actual)}`);
    }
  });
}


/** Every `data:` payload of the recorded streams, per file, in order. */
function recordedStreams(): Array<{ name: string; texts: string[] }> {
  const streams: Array<{ name: string; texts: string[] }> = [];
  for (const folder of ['openai/stream/', 'anthropic/stream/']) {
    const directory = new URL(folder, FIXTURES);
    let names: string[];
    try {
      names = readdirSync(directory);
    } catch {
      continue;
    }
    for (const name of names) {
      const lines = readFileSync(new URL(name, directory), 'utf8').split(/\r?\n/);
      const texts = lines.filter((line) => line.startsWith('data:') && !line.includes('[DONE]')).map((line) => line.slice(5).trimStart());
      if (texts.length > 0) streams.push({ name: folder + name, texts });
    }
  }
  return streams;
}


const WORDS = ['Hello', ' world', ' the', ' the', 'é', '日本', '😀', '', ' "quoted"', 'back\\slash', 'tab\there', 'line\nbreak', '\u2028', '\ud800'];
const RAW_LITERALS = ['"a\\u00e9"', '"\\ud83d\\ude00"', '"\\/"', '"\\x"', '"\\u12"', '"a\u0001b"', '"unterminated', '"a\\"', '"\\\\"', '"é"'];

function chunk(content: string, extra = ''): string {
  return `{"id":"chatcmpl-1","object":"chat.completion.chunk","created":1700000000,"model":"m","choices":[{"index":0,"delta":{"content":${JSON.stringify(content)}},"logprobs":null,"finish_reason":null}]${extra}}`;
}

/** A chunk changed in one of many ways, valid or not. */
function mutate(text: string, next: () => number): string {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!;
  const at = Math.floor(next() * text.length);
  switch (Math.floor(next() * 12)) {
    case 0:
      return text.replace(/"content":"(?:[^"\\]|\\.)*"/, `"content":${pick(RAW_LITERALS)}`);
    case 1:
      return text.slice(0, at); // cut short
    case 2:
      return text.slice(0, at) + pick([' ', '\n', '\t', '\r', '  ']) + text.slice(at); // whitespace, maybe inside a token
    case 3:
      return text.replace('"created":1700000000', `"created":${pick(['1700000001', '1.7e9', '-0', '01', '1e', '17000000000000000000000'])}`);
    case 4:
      return text.replace('"model"', pick(['"modem"', '"model2"', '"__proto__"', '"id"', '"mod\\u0065l"']));
    case 5:
      return text.replace('"logprobs":null', pick(['"logprobs":"x"', '"logprobs":{"a":"b"}', '"logprobs":[]', '"logprobs":nul', '"logprobs":true']));
    case 6:
      return text.slice(0, at) + pick(['"', '\\', '{', '}', ',', ':', '[', ']', '\u0000']) + text.slice(at);
    case 7:
      return text.replace('"id":"chatcmpl-1"', `"id":${JSON.stringify(pick(WORDS))}`);
    case 8:
      return text.replace('}]}', '}],"usage":{"prompt_tokens":3,"completion_tokens":1,"total_tokens":4}}');
    case 9:
      return `${pick([' ', '\n', ''])}${text}${pick([' ', '\n', '', 'x', ','])}`;
    case 10:
      return text.replace('"choices":[', '"choices":[{"index":1,"delta":{"content":"b"},"finish_reason":null},');
    default:
      return chunk(pick(WORDS) + pick(WORDS));
  }
}

describe('createRepeatedShapeJsonParser', () => {
  it('returns what JSON.parse returns for every recorded stream', () => {
    const streams = recordedStreams();
    expect(streams.length).toBeGreaterThan(5);
    for (const { texts } of streams) expectSameAsJsonParse(texts);
  });

  it('returns what JSON.parse returns, or throws as it does, for runs of mutated chunks', () => {
    for (let seed = 1; seed <= 200; seed++) {
      const next = createSeededRandom(seed);
      const texts: string[] = [];
      let base = chunk('Hi');
      for (let index = 0; index < 60; index++) {
        const roll = next();
        // Mostly the usual run of deltas, where the templates are used; now and then a change, valid or not.
        const text = roll < 0.6 ? chunk(WORDS[Math.floor(next() * WORDS.length)]!) : roll < 0.95 ? mutate(base, next) : mutate(mutate(base, next), next);
        if (roll > 0.9) base = text;
        texts.push(text);
      }
      expectSameAsJsonParse(texts);
    }
  });

  it('reads the new strings when only strings change, sharing what did not change', () => {
    const parser = createRepeatedShapeJsonParser();
    const texts = ['A', 'B', 'C', 'C', 'D', 'E'].map((word) => chunk(word, ',"usage":{"total_tokens":1}'));
    const results = texts.map((text) => parser.parse(text) as { choices: Array<{ delta: { content: string } }>; usage: object });
    expect(results.map((result) => result.choices[0]!.delta.content)).toEqual(['A', 'B', 'C', 'C', 'D', 'E']);
    // The second text becomes the template. The usage object lies off the way to any string that
    // changed: every result made from the template shares it.
    expect(results[0]!.usage).not.toBe(results[1]!.usage);
    expect(results[2]!.usage).toBe(results[1]!.usage);
    expect(results[5]!.usage).toBe(results[1]!.usage);
    // …and the containers that hold a new string are new for every result.
    expect(results[2]!.choices).not.toBe(results[1]!.choices);
    expect(results[1]!.choices[0]!.delta.content).toBe('B');
  });

  it('keeps its template through one odd text, and takes the second of two in a row', () => {
    const parser = createRepeatedShapeJsonParser();
    const odd = '{"id":"chatcmpl-1","choices":[],"usage":{"total_tokens":4}}';
    const texts = [chunk('a', ',"usage":{}'), chunk('b', ',"usage":{}'), odd, chunk('c', ',"usage":{}'), odd, odd, odd, chunk('d')];
    const results = texts.map((text) => parser.parse(text) as { usage?: object });
    // The chunk after the single odd text still came from the chunks' template: it shares its usage object.
    expect(results[3]!.usage).toBe(results[1]!.usage);
    expect(results).toEqual(texts.map((text) => JSON.parse(text) as unknown));
    // The odd text became the template on its second time in a row, not on its first.
    expect(results[6]!.usage).toBe(results[5]!.usage);
    expect(results[5]!.usage).not.toBe(results[4]!.usage);
  });

  it('keeps up when a string that stayed the same for a while changes', () => {
    // After three matches the id is fixed text; a new id must still come out right.
    const texts = ['a', 'b', 'c', 'd', 'e', 'f'].map((word) => chunk(word));
    texts.push(chunk('g').replace('chatcmpl-1', 'chatcmpl-2'), chunk('h').replace('chatcmpl-1', 'chatcmpl-2'));
    expectSameAsJsonParse([...texts, ...texts]);
  });

  it('keeps a repeated key and a __proto__ key as JSON.parse does', () => {
    // Runs long enough for a template to be built and then matched.
    expectSameAsJsonParse(['{"a":"x","a":1}', '{"a":"y","a":1}', '{"a":"z","a":1}', '{"a":"w","a":1}']);
    expectSameAsJsonParse(['{"a":"x","a":"z"}', '{"a":"q","a":"r"}', '{"a":"s","a":"t"}', '{"a":{"b":"c"},"a":{"d":"e"}}', '{"a":{"b":"f"},"a":{"d":"g"}}', '{"a":{"b":"h"},"a":{"d":"i"}}']);
    expectSameAsJsonParse(['{"__proto__":"x","b":"c"}', '{"__proto__":"y","b":"d"}', '{"b":{"__proto__":{"p":"1"}},"c":"2"}', '{"b":{"__proto__":{"p":"1"}},"c":"3"}']);
  });

  it('handles arrays at the top, nesting, escapes in keys and texts without strings', () => {
    expectSameAsJsonParse(['["a",{"b":["c","d"]},1]', '["x",{"b":["y","z"]},1]', '["x",{"b":["y","z"]},2]', '[]', '[]', '{}', '{"k\\u0065y":"v"}', '{"key":"w"}', '{"k\\u0065y":"u"}', '1', '"s"', 'null']);
  });

  it('throws JSON.parse`s SyntaxError for invalid text after a run of valid chunks', () => {
    const parser = createRepeatedShapeJsonParser();
    for (const word of ['a', 'b', 'c', 'd']) parser.parse(chunk(word));
    expect(() => parser.parse(chunk('e').replace('"e"', '"e\u0001"'))).toThrow(SyntaxError);
    expect(() => parser.parse(chunk('e').replace('"e"', '"\\q"'))).toThrow(SyntaxError);
    expect(parser.parse(chunk('f'))).toEqual(JSON.parse(chunk('f')));
  });
});

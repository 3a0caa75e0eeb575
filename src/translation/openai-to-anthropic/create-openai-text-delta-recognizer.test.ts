import { describe, expect, it } from 'vitest';
import { createOpenAITextDeltaRecognizer } from './create-openai-text-delta-recognizer.js';

const HEAD = '{"id":"chatcmpl-1","object":"chat.completion.chunk","created":1,"model":"gpt-test","choices":[{"index":0,"delta":{"content":';
const TAIL = '},"logprobs":null,"finish_reason":null}],"usage":null,"obfuscation":';

/** A text delta chunk's data with these literals in its text and padding places. */
const chunkData = (literal: string, padding = '"abc"') => `${HEAD}${literal}${TAIL}${padding}}`;

function learnt(data = chunkData('"The"')) {
  const recognizer = createOpenAITextDeltaRecognizer();
  expect(recognizer.learn(data, JSON.parse(data))).toBe(true);
  return recognizer;
}

describe('createOpenAITextDeltaRecognizer', () => {
  it('recognizes the next text of a learnt chunk, whatever its padding, and gives the literal JSON.stringify would write', () => {
    const recognizer = learnt();
    for (const text of [' quick', '', 'é 😀 \u2028', 'x'.repeat(5000)]) {
      const data = chunkData(JSON.stringify(text), JSON.stringify(`pad${text.length}`));
      expect(recognizer.recognize(data)).toEqual({ kind: 'text', literal: JSON.stringify(text), like: JSON.parse(chunkData('"The"')) });
    }
    // Escapes of any spelling come back as JSON.stringify writes them; so does a lone surrogate.
    for (const literal of ['"say \\"hi\\""', '"\\u0041\\/\\b\\f\\n\\r\\t\\\\"', '"caf\\u00e9"', '"\\ud83d\\ude00"', '"\\ud800"', '"\ud800"']) {
      expect(recognizer.recognize(chunkData(literal))?.literal, literal).toBe(JSON.stringify(JSON.parse(literal)));
    }
  });

  it('does not recognize a data that is not the template with valid string literals in its places', () => {
    const recognizer = learnt();
    const refused = [
      chunkData('"raw \u0001 control"'),
      chunkData('"bad \\x escape"'),
      chunkData('"bad \\u12G4"'),
      chunkData('"unterminated'),
      chunkData('42'),
      chunkData('"a"', '7'),
      `${chunkData('"a"')} `,
      chunkData('"a"').replace('gpt-test', 'gpt-other'),
      chunkData('"a"').replace('"finish_reason":null', '"finish_reason":"stop"'),
      chunkData('"a"').slice(0, -1),
      '[DONE]',
    ];
    for (const data of refused) expect(recognizer.recognize(data), data).toBeUndefined();
    expect(createOpenAITextDeltaRecognizer().recognize(chunkData('"a"'))).toBeUndefined();
  });

  it('learns only chunks that do nothing but add one text, and knows reasoning from content', () => {
    const notPlain = [
      '{"choices":[{"index":0,"delta":{"content":"a"},"finish_reason":"stop"}]}',
      '{"choices":[{"index":0,"delta":{"content":"a"}}],"usage":{"prompt_tokens":1}}',
      '{"choices":[{"index":0,"delta":{"content":"a","tool_calls":[]}}]}',
      '{"choices":[{"index":0,"delta":{"content":"a","function_call":{"name":"f"}}}]}',
      '{"choices":[{"index":0,"delta":{"content":"a","reasoning_content":"b"}}]}',
      '{"choices":[{"index":0,"delta":{"content":"a"}},{"index":1,"delta":{"content":"b"}}]}',
      '{"choices":[{"index":0,"delta":{"content":"a","content":"b"}}]}',
      '{"choices":[{"index":0,"delta":{"content":7}}]}',
      '{"choices":[{"index":0,"delta":{"role":"assistant"}}]}',
      '{"choices":[{"index":0,"delta":{"role":"assistant","content":""}}]}',
      '{"choices":[{"index":0,"delta":{"content":"a"}}],"error":{"message":"x"}}',
      '{"object":"error","choices":[{"index":0,"delta":{"content":"a"}}]}',
      '{"choices":[]}',
    ];
    for (const data of notPlain) expect(createOpenAITextDeltaRecognizer().learn(data, JSON.parse(data)), data).toBe(false);

    const reasoning = '{"choices":[{"index":0,"delta":{"content":null,"reasoning_content":"We"},"logprobs":null,"finish_reason":null}],"usage":null}';
    const recognizer = createOpenAITextDeltaRecognizer();
    expect(recognizer.learn(reasoning, JSON.parse(reasoning))).toBe(true);
    expect(recognizer.recognize(reasoning.replace('"We"', '" need"'))?.kind).toBe('thinking');
    const refusal = '{"choices":[{"index":0,"delta":{"refusal":"No"}}]}';
    expect(recognizer.learn(refusal, JSON.parse(refusal))).toBe(true);
    expect(recognizer.recognize(refusal)?.kind).toBe('text');
    // An escaped key name is still the key: its literal is found by the path.
    const escapedKey = '{"choices":[{"index":0,"delta":{"con\\u0074ent":"hi"}}]}';
    expect(recognizer.learn(escapedKey, JSON.parse(escapedKey))).toBe(true);
    expect(recognizer.recognize(escapedKey.replace('"hi"', '"ho"'))?.literal).toBe('"ho"');
  });

  it('stops learning once eight templates were replaced without ever matching; templates that matched do not count', () => {
    const withId = (id: number, literal = '"a"') => chunkData(literal).replace('chatcmpl-1', `chatcmpl-${id}`);
    const recognizer = createOpenAITextDeltaRecognizer();
    for (let id = 0; id < 20; id++) {
      expect(recognizer.learn(withId(id), JSON.parse(withId(id)))).toBe(true);
      expect(recognizer.recognize(withId(id, '"b"'))?.literal).toBe('"b"');
    }
    // A server whose every chunk differs in a fixed part (here the id): no template ever matches.
    for (let id = 100; id < 109; id++) expect(recognizer.learn(withId(id), JSON.parse(withId(id)))).toBe(true);
    expect(recognizer.learn(withId(109), JSON.parse(withId(109)))).toBe(false);
    expect(recognizer.recognize(withId(108, '"c"'))?.literal).toBe('"c"');
  });
});

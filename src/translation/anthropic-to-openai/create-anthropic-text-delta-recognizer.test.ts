import { describe, expect, it } from 'vitest';
import { createAnthropicTextDeltaRecognizer } from './create-anthropic-text-delta-recognizer.js';

const delta = (type: string, field: string, literal: string, index = 0) => `{"type":"content_block_delta","index":${index},"delta":{"type":"${type}","${field}":${literal}}}`;

function learnt(data: string) {
  const recognizer = createAnthropicTextDeltaRecognizer();
  expect(recognizer.learn(data, JSON.parse(data))).toBe(true);
  return recognizer;
}

describe('createAnthropicTextDeltaRecognizer', () => {
  it('recognizes the next text or thinking of the learnt block, with the literal JSON.stringify would write', () => {
    const text = learnt(delta('text_delta', 'text', '"Hi"'));
    expect(text.recognize(delta('text_delta', 'text', '" there \\"x\\" caf\\u00e9"'))).toEqual({ kind: 'text', literal: JSON.stringify(' there "x" café') });
    expect(text.recognize(delta('text_delta', 'text', '""'))).toEqual({ kind: 'text', literal: '""' });
    const thinking = learnt(delta('thinking_delta', 'thinking', '"Hmm"', 1));
    expect(thinking.recognize(delta('thinking_delta', 'thinking', '"so"', 1))).toEqual({ kind: 'thinking', literal: '"so"' });
  });

  it('does not recognize another block, another delta type or an invalid literal', () => {
    const recognizer = learnt(delta('text_delta', 'text', '"Hi"'));
    for (const data of [
      delta('text_delta', 'text', '"Hi"', 1),
      delta('thinking_delta', 'thinking', '"Hi"'),
      delta('input_json_delta', 'partial_json', '"{"'),
      delta('text_delta', 'text', '"raw \u0001"'),
      delta('text_delta', 'text', '"bad \\q"'),
      delta('text_delta', 'text', 'null'),
      `${delta('text_delta', 'text', '"Hi"')}\n`,
    ]) {
      expect(recognizer.recognize(data), data).toBeUndefined();
    }
  });

  it('learns only non-empty text and thinking deltas', () => {
    const recognizer = createAnthropicTextDeltaRecognizer();
    for (const data of [
      delta('text_delta', 'text', '""'),
      delta('input_json_delta', 'partial_json', '"{"'),
      delta('signature_delta', 'signature', '"EqQB"'),
      '{"type":"content_block_start","index":0,"content_block":{"type":"text","text":"x"}}',
      '{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"a","text":"b"}}',
    ]) {
      expect(recognizer.learn(data, JSON.parse(data)), data).toBe(false);
    }
  });

  it('learns a template per block for as many blocks as come, and stops once eight were replaced without ever matching', () => {
    const recognizer = createAnthropicTextDeltaRecognizer();
    const learn = (data: string) => recognizer.learn(data, JSON.parse(data));
    for (let index = 0; index < 30; index++) {
      expect(learn(delta('text_delta', 'text', '"a"', index))).toBe(true);
      expect(recognizer.recognize(delta('text_delta', 'text', '"b"', index))?.literal).toBe('"b"');
    }
    for (let index = 100; index < 109; index++) expect(learn(delta('text_delta', 'text', '"a"', index))).toBe(true);
    expect(learn(delta('text_delta', 'text', '"a"', 200))).toBe(false);
    expect(recognizer.recognize(delta('text_delta', 'text', '"b"', 108))?.literal).toBe('"b"');
  });
});

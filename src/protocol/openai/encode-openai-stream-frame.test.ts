import { describe, expect, it } from 'vitest';
import { encodeOpenAIChunk } from './encode-openai-chunk.js';
import { encodeOpenAIStreamFrame } from './encode-openai-stream-frame.js';
import { OPENAI_DONE } from './openai-done.js';

const decode = (bytes: Uint8Array) => new TextDecoder().decode(bytes);

describe('encodeOpenAIStreamFrame', () => {
  it('frames a chunk as one data line', () => {
    const chunk = {
      id: 'c1',
      object: 'chat.completion.chunk' as const,
      created: 1,
      model: 'm',
      choices: [{ index: 0, delta: { content: 'a\nb' }, finish_reason: null }],
    };
    const text = decode(encodeOpenAIStreamFrame({ type: 'chunk', chunk }));
    expect(text).toBe(`data: ${JSON.stringify(chunk)}\n\n`);
    // The newline in the content is escaped, so the frame stays one line.
    expect(text.split('\n')).toHaveLength(3);
    expect(decode(encodeOpenAIChunk(chunk))).toBe(text);
  });

  it('frames an error body as a data line and the end as [DONE]', () => {
    const body = { error: { message: 'Overloaded', type: 'overloaded_error', param: null, code: null } };
    expect(decode(encodeOpenAIStreamFrame({ type: 'error', body }))).toBe(`data: ${JSON.stringify(body)}\n\n`);
    expect(decode(encodeOpenAIStreamFrame({ type: 'done' }))).toBe('data: [DONE]\n\n');
    expect(decode(OPENAI_DONE)).toBe('data: [DONE]\n\n');
  });
});

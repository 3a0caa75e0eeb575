import { describe, expect, it } from 'vitest';
import { encodeOpenAIStreamFrame } from './encode-openai-stream-frame.js';
import { encodeOpenAIStreamFrames } from './encode-openai-stream-frames.js';
import type { OpenAIStreamFrame } from './openai-stream-frame.js';

describe('encodeOpenAIStreamFrames', () => {
  it('writes the same bytes as encoding each frame alone', () => {
    const frames: OpenAIStreamFrame[] = [
      { type: 'chunk', chunk: { id: 'c', object: 'chat.completion.chunk', created: 1, model: 'm', choices: [{ index: 0, delta: { content: 'é "x"\n' }, finish_reason: null }] } },
      { type: 'error', body: { error: { message: 'boom', type: 'api_error', param: null, code: null } } },
      { type: 'done' },
    ];
    expect(encodeOpenAIStreamFrames(frames)!.equals(Buffer.concat(frames.map((frame) => Buffer.from(encodeOpenAIStreamFrame(frame)))))).toBe(true);
    expect(encodeOpenAIStreamFrames([])).toBeUndefined();
  });
});

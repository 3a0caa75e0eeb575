import { describe, expect, it } from 'vitest';
import { stripUnsignedThinking } from './strip-unsigned-thinking.js';

const strip = (value: unknown) => {
  const result = stripUnsignedThinking(Buffer.from(JSON.stringify(value)));
  return result && JSON.parse(result.toString());
};

describe('stripUnsignedThinking', () => {
  it('leaves a request without unsigned thinking alone (undefined: send the original bytes)', () => {
    expect(strip({ model: 'm', messages: [{ role: 'assistant', content: [{ type: 'thinking', thinking: 'x', signature: 'EqQBCkgI' }, { type: 'text', text: 'hi' }] }] })).toBeUndefined();
    expect(strip({ model: 'm', messages: [{ role: 'user', content: 'signature is ""' }] })).toBeUndefined();
  });

  it('removes thinking with an empty signature from assistant turns and keeps signed thinking', () => {
    const request = {
      model: 'm',
      max_tokens: 10,
      messages: [
        { role: 'user', content: 'q1' },
        { role: 'assistant', content: [{ type: 'thinking', thinking: 'from deepseek', signature: '' }, { type: 'text', text: 'a1' }] },
        { role: 'user', content: 'q2' },
        { role: 'assistant', content: [{ type: 'thinking', thinking: '', signature: 'EqQBCkgI' }, { type: 'text', text: 'a2' }] },
      ],
    };
    expect(strip(request)).toEqual({
      ...request,
      messages: [request.messages[0], { role: 'assistant', content: [{ type: 'text', text: 'a1' }] }, request.messages[2], request.messages[3]],
    });
  });

  it('drops an assistant turn that held nothing but unsigned thinking', () => {
    const request = { model: 'm', messages: [{ role: 'user', content: 'q' }, { role: 'assistant', content: [{ type: 'thinking', thinking: 't', signature: '' }] }, { role: 'user', content: 'q2' }] };
    expect(strip(request).messages).toEqual([{ role: 'user', content: 'q' }, { role: 'user', content: 'q2' }]);
  });

  it('ignores an empty signature outside thinking blocks and unparseable bodies', () => {
    expect(strip({ model: 'm', messages: [{ role: 'user', content: [{ type: 'text', text: 't', signature: '' }] }] })).toBeUndefined();
    expect(stripUnsignedThinking(Buffer.from('{"signature":"", broken'))).toBeUndefined();
  });
});

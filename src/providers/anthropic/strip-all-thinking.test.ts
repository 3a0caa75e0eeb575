import { describe, expect, it } from 'vitest';
import { stripAllThinking } from './strip-all-thinking.js';

const strip = (value: unknown) => {
  const result = stripAllThinking(Buffer.from(JSON.stringify(value)));
  return result && JSON.parse(result.toString());
};

describe('stripAllThinking', () => {
  it('removes thinking and redacted thinking from every assistant turn', () => {
    const request = {
      model: 'm',
      messages: [
        { role: 'user', content: 'q' },
        { role: 'assistant', content: [{ type: 'thinking', thinking: 't', signature: 's' }, { type: 'redacted_thinking', data: 'x' }, { type: 'text', text: 'a' }] },
        { role: 'user', content: 'q2' },
      ],
    };
    expect(strip(request).messages[1]).toEqual({ role: 'assistant', content: [{ type: 'text', text: 'a' }] });
    expect(strip(request).thinking).toBeUndefined();
  });

  it('turns thinking off when the last assistant turn (a tool call) lost its thinking', () => {
    const request = {
      model: 'm',
      thinking: { type: 'enabled', budget_tokens: 2000 },
      messages: [
        { role: 'user', content: 'q' },
        { role: 'assistant', content: [{ type: 'thinking', thinking: 't', signature: 's' }, { type: 'tool_use', id: 'toolu_1', name: 'x', input: {} }] },
        { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_1', content: 'ok' }] },
      ],
    };
    const stripped = strip(request);
    expect(stripped.thinking).toEqual({ type: 'disabled' });
    expect(stripped.messages[1].content).toEqual([{ type: 'tool_use', id: 'toolu_1', name: 'x', input: {} }]);
  });

  it('returns undefined when there is no thinking to remove', () => {
    expect(strip({ model: 'm', messages: [{ role: 'user', content: 'q' }, { role: 'assistant', content: 'a' }] })).toBeUndefined();
  });
});

import { describe, expect, it } from 'vitest';
import { createLearntJsonStringTemplate } from './create-learnt-json-string-template.js';
import { locateJsonStringValues } from './locate-json-string-values.js';

const text = (id: number, value = 'a') => `{"id":${id},"text":${JSON.stringify(value)}}`;
const holes = (id: number) => locateJsonStringValues(text(id));

describe('createLearntJsonStringTemplate', () => {
  it('matches with the latest template learnt, and gives what it was learnt with', () => {
    const learnt = createLearntJsonStringTemplate<string>();
    expect(learnt.match(text(1))).toBeUndefined();
    expect(learnt.meta).toBeUndefined();
    expect(learnt.learn(text(1), holes(1), 0, 'first')).toBe(true);
    expect(learnt.learn(text(2), holes(2), 0, 'second')).toBe(true);
    expect(learnt.match(text(2, 'b'))).toBe('"b"');
    expect(learnt.match(text(1, 'b'))).toBeUndefined();
    expect(learnt.meta).toBe('second');
  });

  it('stops learning once eight templates were replaced without ever matching; templates that matched do not count', () => {
    const learnt = createLearntJsonStringTemplate<number>();
    for (let id = 0; id < 20; id++) {
      expect(learnt.learn(text(id), holes(id), 0, id)).toBe(true);
      expect(learnt.match(text(id, 'b'))).toBe('"b"');
    }
    expect(learnt.learning).toBe(true);
    for (let id = 100; id < 108; id++) {
      expect(learnt.learning).toBe(true);
      expect(learnt.learn(text(id), holes(id), 0, id)).toBe(true);
    }
    expect(learnt.learning).toBe(true); // the seventh unused one was just replaced
    expect(learnt.learn(text(108), holes(108), 0, 108)).toBe(true);
    expect(learnt.learning).toBe(false);
    expect(learnt.learn(text(109), holes(109), 0, 109)).toBe(false);
    expect(learnt.meta).toBe(108);
    expect(learnt.match(text(108, 'c'))).toBe('"c"');
  });
});

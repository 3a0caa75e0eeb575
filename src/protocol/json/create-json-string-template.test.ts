import { describe, expect, it } from 'vitest';
import { createJsonStringTemplate } from './create-json-string-template.js';
import { locateJsonStringValues } from './locate-json-string-values.js';

describe('createJsonStringTemplate', () => {
  const text = '{"a":"x","b":[1,"y"],"c":"z"}';
  const template = createJsonStringTemplate(text, locateJsonStringValues(text));

  it('gives the literal of any hole of a text that differs only in its strings', () => {
    const other = '{"a":"1","b":[1,"\\u0041\\n"],"c":"\ud83d\ude00"}';
    expect([0, 1, 2].map((hole) => template.match(other, hole))).toEqual(['"1"', '"A\\n"', '"😀"']);
    expect(template.match(other, 3)).toBeUndefined();
    expect(template.match(other, -1)).toBeUndefined();
  });

  it('refuses a text with other fixed parts or an invalid literal in any hole', () => {
    for (const other of ['{"a":"x","b":[2,"y"],"c":"z"}', '{"a":"x","b":[1,"y"],"c":"z"} ', '{"a":"x","b":[1,"\t"],"c":"z"}', '{"a":"x","b":[1,"y"],"c":"\\x"}', '{"a":"x","b":[1,"y"],"c":"z']) {
      expect(template.match(other, 0), other).toBeUndefined();
    }
  });

  it('wants its holes sorted and apart', () => {
    const [a, b] = locateJsonStringValues(text);
    expect(() => createJsonStringTemplate(text, [b!, a!])).toThrow(RangeError);
  });
});
